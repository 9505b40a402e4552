use tower_cloud_error::IntoCloudError;

#[derive(Debug)]
struct Region;

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum EipError {
    #[error("expired")]
    #[cloud(code = tower_cloud_error::bce::common::REQUEST_EXPIRED, args(region))]
    Expired { region: Region },
}

fn main() {}
