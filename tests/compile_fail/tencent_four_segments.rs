use tower_cloud_error::{tencent, Code};

const TOO_DEEP: Code = tencent::code("ResourceNotFound.Err.No.Repo", "仓库不存在。", "No repo.");

fn main() {
    let _ = TOO_DEEP;
}
