use tower_cloud_error::Code;

const TOO_DEEP: Code = Code::tencent("ResourceNotFound.Err.No.Repo", "仓库不存在。", "No repo.");

fn main() {
    let _ = TOO_DEEP;
}
