use tower_cloud_error::Code;

const NOT_AN_ERROR: Code = Code::bce("Fine", 200, "Everything is fine.");

fn main() {
    let _ = NOT_AN_ERROR;
}
