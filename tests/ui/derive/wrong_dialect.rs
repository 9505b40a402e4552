use tower_cloud_error::{bce, tencent};
use tower_cloud_error::IntoCloudError;

#[derive(Debug, thiserror::Error, IntoCloudError)]
enum RepoError {
    #[error("repository not found")]
    #[cloud(bce = tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO, tencent = bce::eip::EIP_NOT_FOUND)]
    NotFound,
}

fn main() {}
