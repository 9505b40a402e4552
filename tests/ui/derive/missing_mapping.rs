use tower_cloud_error::IntoCloudError;

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum EipError {
    #[error("eip not found")]
    #[cloud(code = tower_cloud_error::bce::eip::EIP_NOT_FOUND)]
    NotFound,
    #[error("eip is prepaid")]
    Prepaid,
}

fn main() {}
