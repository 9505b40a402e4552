use tower_cloud_error::IntoCloudError;

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum EipError {
    #[error("expired at {date}")]
    #[cloud(code = tower_cloud_error::bce::common::REQUEST_EXPIRED, args(dat))]
    Expired { date: String },
    #[error("expired at {0}")]
    #[cloud(code = tower_cloud_error::bce::common::REQUEST_EXPIRED, args(1))]
    ExpiredAt(String),
}

fn main() {}
