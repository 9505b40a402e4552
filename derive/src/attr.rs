//! Parsing `#[cloud(...)]`: what one variant (or struct) maps to, and its message.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{parenthesized, Attribute, Error, Member, Path, Result, Token};

/// The keys `#[cloud(...)]` accepts, for the error message on any other.
const KEYS: &str =
    "`code`, `bce`, `tencent`, `condition`, `internal`, `transparent`, `message`, `args`";

/// What a variant becomes.
pub(crate) enum Mapping {
    /// `code = path`: one code, whatever the style.
    Code(Path),
    /// `bce = path`, `tencent = path`: one code per style (at least one is set).
    PerStyle {
        bce: Option<Path>,
        tencent: Option<Path>,
    },
    /// `condition = Variant`: each style renders its own code for the condition.
    Condition(Path),
    /// `internal`: InternalError, with the value kept as the source for the logs.
    Internal,
    /// `transparent`: the single field's own `IntoCloudError`.
    Transparent(Span),
}

impl Mapping {
    fn describe(&self) -> &'static str {
        match self {
            Mapping::Code(_) => "`code`",
            Mapping::PerStyle { .. } => "a per-style code (`bce`/`tencent`)",
            Mapping::Condition(_) => "`condition`",
            Mapping::Internal => "`internal`",
            Mapping::Transparent(_) => "`transparent`",
        }
    }
}

/// Where a coded variant's message comes from.
pub(crate) enum Message {
    /// The code's default message.
    Default,
    /// `message`: the value's `Display`.
    Display,
    /// `args(a, b)`: the code's template filled with these fields' `Display`.
    Args(Vec<Member>),
}

/// Everything `#[cloud(...)]` says about one variant or struct.
pub(crate) struct CloudAttrs {
    pub(crate) mapping: Option<Mapping>,
    pub(crate) message: Message,
    /// Where `message` or `args` was written, for errors about it.
    pub(crate) message_span: Option<Span>,
}

/// Parses every `#[cloud(...)]` among `attrs` (several attributes add up).
pub(crate) fn parse(attrs: &[Attribute]) -> Result<CloudAttrs> {
    let mut parsed = CloudAttrs {
        mapping: None,
        message: Message::Default,
        message_span: None,
    };
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("cloud")) {
        attr.parse_nested_meta(|meta| parse_key(&mut parsed, &meta))?;
    }
    Ok(parsed)
}

/// Fails on any `#[cloud]` among `attrs`: `place` says where it was found.
pub(crate) fn reject(attrs: &[Attribute], place: &str) -> Result<()> {
    match attrs.iter().find(|attr| attr.path().is_ident("cloud")) {
        Some(attr) => Err(Error::new_spanned(
            attr,
            format!("#[cloud(...)] is not allowed {place}"),
        )),
        None => Ok(()),
    }
}

fn parse_key(parsed: &mut CloudAttrs, meta: &ParseNestedMeta<'_>) -> Result<()> {
    let key = meta.path.get_ident().map(ToString::to_string);
    match key.as_deref() {
        Some("code") => set_mapping(parsed, meta, Mapping::Code(meta.value()?.parse()?)),
        Some("condition") => set_mapping(parsed, meta, Mapping::Condition(meta.value()?.parse()?)),
        Some("internal") => {
            no_value(meta)?;
            set_mapping(parsed, meta, Mapping::Internal)
        }
        Some("transparent") => {
            no_value(meta)?;
            set_mapping(parsed, meta, Mapping::Transparent(meta.path.span()))
        }
        Some(style @ ("bce" | "tencent")) => {
            let path: Path = meta.value()?.parse()?;
            set_style_code(parsed, meta, style, path)
        }
        Some("message") => {
            no_value(meta)?;
            set_message(parsed, meta, Message::Display)
        }
        Some("args") => {
            let content;
            parenthesized!(content in meta.input);
            let members = Punctuated::<Member, Token![,]>::parse_terminated(&content)?;
            if members.is_empty() {
                return Err(meta.error("`args(...)` needs at least one field"));
            }
            set_message(parsed, meta, Message::Args(members.into_iter().collect()))
        }
        _ => Err(meta.error(format!(
            "unknown key `{}` in #[cloud(...)]; expected one of {KEYS}",
            path_text(&meta.path)
        ))),
    }
}

fn set_mapping(
    parsed: &mut CloudAttrs,
    meta: &ParseNestedMeta<'_>,
    mapping: Mapping,
) -> Result<()> {
    if let Some(earlier) = &parsed.mapping {
        return Err(meta.error(format!(
            "{} conflicts with the earlier {}: a variant maps to one code \
             (for one code per style, write `bce = ..., tencent = ...`)",
            mapping.describe(),
            earlier.describe()
        )));
    }
    parsed.mapping = Some(mapping);
    Ok(())
}

fn set_style_code(
    parsed: &mut CloudAttrs,
    meta: &ParseNestedMeta<'_>,
    style: &str,
    path: Path,
) -> Result<()> {
    match &mut parsed.mapping {
        None => {
            let (bce, tencent) = if style == "bce" {
                (Some(path), None)
            } else {
                (None, Some(path))
            };
            parsed.mapping = Some(Mapping::PerStyle { bce, tencent });
            Ok(())
        }
        Some(Mapping::PerStyle { bce, tencent }) => {
            let slot = if style == "bce" { bce } else { tencent };
            if slot.is_some() {
                return Err(meta.error(format!("duplicate `{style}`: one code per style")));
            }
            *slot = Some(path);
            Ok(())
        }
        Some(earlier) => Err(meta.error(format!(
            "`{style}` conflicts with the earlier {}: a variant maps to one code \
             (for one code per style, write `bce = ..., tencent = ...` without `code`)",
            earlier.describe()
        ))),
    }
}

fn set_message(
    parsed: &mut CloudAttrs,
    meta: &ParseNestedMeta<'_>,
    message: Message,
) -> Result<()> {
    if parsed.message_span.is_some() {
        return Err(meta.error("only one of `message` and `args(...)`, once"));
    }
    parsed.message = message;
    parsed.message_span = Some(meta.path.span());
    Ok(())
}

/// Fails when a flag key (`internal`, `message`, ...) is given a value.
fn no_value(meta: &ParseNestedMeta<'_>) -> Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{}` takes no value", path_text(&meta.path))));
    }
    Ok(())
}

fn path_text(path: &Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
