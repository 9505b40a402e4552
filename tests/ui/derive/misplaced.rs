use tower_cloud_error::IntoCloudError;

#[derive(Debug, thiserror::Error, IntoCloudError)]
#[cloud(internal)]
enum EipError {
    #[error("eip {0} not found")]
    #[cloud(code = tower_cloud_error::bce::eip::EIP_NOT_FOUND)]
    NotFound(#[cloud(message)] String),
}

fn main() {}
