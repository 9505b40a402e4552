use tower_cloud_error::Code;

const NO_ENGLISH: Code = Code::tencent("ResourceNotFound.ErrNoRepo", "仓库不存在。", "");

fn main() {
    let _ = NO_ENGLISH;
}
