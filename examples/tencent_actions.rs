//! Run with `cargo run --example tencent_actions --features axum,tower`
//!
//! A Tencent Cloud API 3.0 service: every action is a `POST /` named by the `X-TC-Action`
//! header, its parameters a JSON object read by `tencent::Json` with the action's own type, its
//! answer a `tencent::Success(fields)`, which the layer renders as
//! `{"Response":{...fields...,"RequestId":"<id>"}}`.
//!
//! | Action | Parameters | Answer fields |
//! |---|---|---|
//! | `CreateNote` | `Title` | `NoteId` |
//! | `DescribeNotes` | `Offset`?, `Limit`? (1 to 100) | `TotalCount`, `Notes` (`NoteId`, `Title`) |
//! | `DeleteNote` | `NoteId` | (none) |
//!
//! The layer's request checks answer first: a method other than GET and POST
//! (`UnsupportedProtocol`), `X-TC-Timestamp` absent or more than 5 minutes off, `X-TC-Action` absent
//! (`MissingParameter`), `X-TC-Version` absent or not [`VERSION`] (`NoSuchVersion`). Then an
//! action this service does not have is `InvalidAction`; the parameters answer
//! `MissingParameter`, `UnknownParameter`, `InvalidParameter` or `InvalidParameterValue`; a note
//! that does not exist is `ResourceNotFound`.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::{FromRequest, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};
use tower_cloud_error::tencent::{self, common, Checks, Success, Tencent};
use tower_cloud_error::{CloudError, CloudErrorLayer, Validate};
use tracing_subscriber::EnvFilter;

/// The only API version served.
pub const VERSION: &str = "2024-06-01";

/// The service: `POST /` dispatched on `X-TC-Action`, in the layer with Tencent's checks.
pub fn app() -> Router {
    Router::new()
        .route("/", post(dispatch))
        .with_state(Notes::default())
        .layer(CloudErrorLayer::new(
            Tencent::new().checks(Checks::new(&[VERSION])),
        ))
}

#[tokio::main]
async fn main() -> io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or(8080);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("Notes (API {VERSION}) listening on {url}");
    println!("Try:");
    println!(
        "  curl -s {url}/ -H 'Content-Type: application/json' -H 'X-TC-Action: CreateNote' \
         -H 'X-TC-Version: {VERSION}' -H \"X-TC-Timestamp: $(date +%s)\" -d '{{\"Title\":\"hello\"}}'"
    );
    axum::serve(listener, app()).await
}

/// Reads the action, then the action's own parameters from the body.
async fn dispatch(
    State(notes): State<Notes>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, CloudError> {
    // The checks already refused a request without it; this keeps the handler correct alone.
    let action = headers
        .get("x-tc-action")
        .and_then(|action| action.to_str().ok())
        .ok_or_else(|| tencent::missing_parameter("X-TC-Action"))?;
    Ok(match action {
        "CreateNote" => create(notes, parameters(request).await?).into_response(),
        "DescribeNotes" => describe(notes, parameters(request).await?).into_response(),
        "DeleteNote" => delete(notes, parameters(request).await?)?.into_response(),
        _ => return Err(CloudError::new(common::INVALID_ACTION)),
    })
}

/// The body as the action's parameters, with the documented codes for every problem.
async fn parameters<T>(request: Request) -> Result<T, CloudError>
where
    T: serde::de::DeserializeOwned + Validate,
{
    let tencent::Json(parameters) = tencent::Json::<T>::from_request(request, &()).await?;
    Ok(parameters)
}

// ---------------------------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------------------------

/// `CreateNote`'s parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateNote {
    /// The note's title.
    pub title: String,
}
impl Validate for CreateNote {}

/// `CreateNote`'s answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Created {
    /// The new note's id.
    pub note_id: String,
}

fn create(notes: Notes, request: CreateNote) -> Success<Created> {
    let note_id = notes.insert(request.title);
    Success(Created { note_id })
}

/// `DescribeNotes`'s parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeNotes {
    /// How many notes to skip.
    #[serde(default)]
    pub offset: usize,
    /// How many notes to list, 1 to 100 (default 20).
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_limit() -> usize {
    20
}

impl Validate for DescribeNotes {
    fn validate(&self) -> Result<(), CloudError> {
        if !(1..=100).contains(&self.limit) {
            return Err(tencent::invalid_parameter_value("Limit"));
        }
        Ok(())
    }
}

/// `DescribeNotes`'s answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoteList {
    /// How many notes there are in all.
    pub total_count: usize,
    /// The page asked for.
    pub notes: Vec<NoteSummary>,
}

/// One note in [`NoteList`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NoteSummary {
    /// The note's id.
    pub note_id: String,
    /// The note's title.
    pub title: String,
}

fn describe(notes: Notes, request: DescribeNotes) -> Success<NoteList> {
    let store = notes.lock();
    let page = store
        .titles
        .iter()
        .skip(request.offset)
        .take(request.limit)
        .map(|(id, title)| NoteSummary {
            note_id: note_id(*id),
            title: title.clone(),
        })
        .collect();
    Success(NoteList {
        total_count: store.titles.len(),
        notes: page,
    })
}

/// `DeleteNote`'s parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteNote {
    /// The note to delete.
    pub note_id: String,
}
impl Validate for DeleteNote {}

/// An answer without fields: `{"Response":{"RequestId":"<id>"}}`.
#[derive(Debug, Serialize)]
pub struct NoFields {}

fn delete(notes: Notes, request: DeleteNote) -> Result<Success<NoFields>, CloudError> {
    let removed = request
        .note_id
        .strip_prefix("note-")
        .and_then(|number| number.parse::<u64>().ok())
        .and_then(|id| notes.lock().titles.remove(&id));
    match removed {
        Some(_) => Ok(Success(NoFields {})),
        None => Err(CloudError::new(common::RESOURCE_NOT_FOUND)),
    }
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/// The notes, in memory, by number.
#[derive(Debug, Clone, Default)]
pub struct Notes(Arc<Mutex<NoteStore>>);

/// What [`Notes`] holds.
#[derive(Debug, Default)]
pub struct NoteStore {
    last_id: u64,
    titles: BTreeMap<u64, String>,
}

impl Notes {
    fn lock(&self) -> MutexGuard<'_, NoteStore> {
        // Every update is one call that cannot panic halfway: a poisoned store is consistent.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn insert(&self, title: String) -> String {
        let mut store = self.lock();
        store.last_id += 1;
        let id = store.last_id;
        store.titles.insert(id, title);
        note_id(id)
    }
}

fn note_id(id: u64) -> String {
    format!("note-{id}")
}
