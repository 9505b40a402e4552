use tower_cloud_error::Code;

const LOWER: Code = Code::tencent("ResourceNotFound.errNoRepo", "仓库不存在。", "No repo.");

fn main() {
    let _ = LOWER;
}
