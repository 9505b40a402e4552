use tower_cloud_error::{CloudError, IntoCloudError};

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum EipError {
    #[error("{0}")]
    #[cloud(transparent)]
    Wrapped(CloudError, String),
}

fn main() {}
