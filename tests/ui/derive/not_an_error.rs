use tower_cloud_error::IntoCloudError;

// Keeps itself as the source for the logs: must be an Error (thiserror gives that).
#[derive(Debug, IntoCloudError)]
enum EipError {
    #[cloud(code = tower_cloud_error::bce::eip::EIP_NOT_FOUND)]
    NotFound,
}

fn main() {}
