use tower_cloud_error::{tencent, Code};

const LOWER: Code = tencent::code("ResourceNotFound.errNoRepo", "仓库不存在。", "No repo.");

fn main() {
    let _ = LOWER;
}
