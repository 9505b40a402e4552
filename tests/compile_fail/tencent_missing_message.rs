use tower_cloud_error::{tencent, Code};

const NO_ENGLISH: Code = tencent::code("ResourceNotFound.ErrNoRepo", "仓库不存在。", "");

fn main() {
    let _ = NO_ENGLISH;
}
