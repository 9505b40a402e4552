use tower_cloud_error::{bce, Code};

const NOT_AN_ERROR: Code = bce::code("Fine", 200, "Everything is fine.");

fn main() {
    let _ = NOT_AN_ERROR;
}
