use tower_cloud_error::IntoCloudError;

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum RepoError {
    #[error("database at {0} unavailable")]
    #[cloud(internal, message)]
    Database(String),
}

fn main() {}
