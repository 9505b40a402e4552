use tower_cloud_error::{bce, Code};

const EIP_NOT_FOUND: Code = bce::code("eipNotFound", 404, "The specified eip does not exist.");

fn main() {
    let _ = EIP_NOT_FOUND;
}
