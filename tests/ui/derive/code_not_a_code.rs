use tower_cloud_error::IntoCloudError;

const EIP_NOT_FOUND: &str = "EipNotFound";

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum EipError {
    #[error("eip not found")]
    #[cloud(code = EIP_NOT_FOUND)]
    NotFound,
}

fn main() {}
