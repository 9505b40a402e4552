//! Checks every catalog against the providers' source tables.
//!
//! The five source documents are copied verbatim into `tests/data/spec/` and compiled in with
//! `include_str!`, so the test never reads anything outside the crate. Every row of every table is
//! parsed (multi-line rows, tables without a leading pipe and plain-text tables included) and
//! compared with the catalogs: presence in the right module's `ALL`, status and message. Row
//! counts are asserted on what the parser found, so a parser that silently finds nothing fails.

use std::collections::{BTreeSet, HashMap, HashSet};

use tower_cloud_error::Code;
use tower_cloud_error::{bce, tencent};

const BCE_NEW: &str = include_str!("data/spec/bce-common-and-devmachine-codes.txt");
const BCE_EIP: &str = include_str!("data/spec/bce-eip-codes-en.txt");
const BCE_KAFKA: &str = include_str!("data/spec/bce-error-format-kafka.txt");
const TENCENT_COMMON: &str = include_str!("data/spec/tencent-common-codes.txt");
const TENCENT_TCR: &str = include_str!("data/spec/tencent-common-and-tcr-codes.txt");

const BCE_SOURCE: &str = include_str!("../src/catalog/bce.rs");
const TENCENT_SOURCE: &str = include_str!("../src/catalog/tencent.rs");

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// A pipe table of a source document.
#[derive(Debug)]
struct Table {
    /// The non-empty text lines between the previous table (or the start) and this table's header.
    heading: Vec<String>,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn is_separator(line: &str) -> bool {
    let line = line.trim();
    line.contains("---") && line.chars().all(|c| c == '|' || c == '-')
}

/// Splits `| a | b |` or `a | b |` into trimmed cells.
fn cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    row.split('|').map(|cell| cell.trim().to_owned()).collect()
}

/// Every pipe table of `doc`: a header line followed by a `---|---|` separator line, then rows.
///
/// A row may lack the leading pipe (Kafka's table) and may be split over several lines (the EIP
/// page): lines are joined until the row has one pipe more than the table has columns.
fn pipe_tables(doc: &str) -> Vec<Table> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut tables = Vec::new();
    let mut heading = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if line.contains('|') && i + 1 < lines.len() && is_separator(lines[i + 1]) {
            let header = cells(line);
            let columns = header.len();
            assert_eq!(
                lines[i + 1].matches("---").count(),
                columns,
                "separator of table {header:?} does not match its header"
            );
            i += 2;
            let mut rows = Vec::new();
            let mut current = String::new();
            while i < lines.len() {
                let line = lines[i].trim();
                if current.is_empty() && (!line.contains('|') || is_separator(line)) {
                    break;
                }
                if current.is_empty() {
                    if !line.starts_with('|') {
                        current.push('|');
                    }
                } else {
                    current.push(' ');
                }
                current.push_str(line);
                let pipes = current.matches('|').count();
                assert!(
                    pipes <= columns + 1,
                    "row {current:?} has more cells than the header {header:?}"
                );
                if pipes == columns + 1 {
                    let row = cells(&current);
                    assert!(
                        row.iter().all(|cell| !cell.is_empty()),
                        "row {current:?} has an empty cell"
                    );
                    rows.push(row);
                    current.clear();
                }
                i += 1;
            }
            assert!(current.is_empty(), "unterminated row {current:?}");
            tables.push(Table {
                heading: std::mem::take(&mut heading),
                header,
                rows,
            });
        } else {
            if !line.is_empty() {
                heading.push(line.to_owned());
            }
            i += 1;
        }
    }
    tables
}

/// The one table of `tables` that has a heading line equal to `title`.
fn table<'a>(tables: &'a [Table], title: &str) -> &'a Table {
    let found: Vec<&Table> = tables
        .iter()
        .filter(|table| table.heading.iter().any(|line| line == title))
        .collect();
    assert_eq!(found.len(), 1, "tables titled {title:?}");
    found[0]
}

/// The rows of a plain-text table of the TCR page: after the line `section`, a `错误码 说明` header,
/// then `Code message` (or `Code` alone) lines up to the next blank line.
fn plain_table(doc: &str, section: &str) -> Vec<(String, Option<String>)> {
    let lines: Vec<&str> = doc.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim() == section)
        .collect();
    assert_eq!(starts.len(), 1, "sections titled {section:?}");
    let mut i = starts[0] + 1;
    while lines[i].trim().is_empty() {
        i += 1;
    }
    assert_eq!(lines[i].trim(), "错误码 说明", "header of {section:?}");
    i += 1;
    let mut rows = Vec::new();
    while i < lines.len() && !lines[i].trim().is_empty() {
        let line = lines[i].trim();
        let row = match line.split_once(' ') {
            Some((code, message)) => (code.to_owned(), Some(message.trim().to_owned())),
            None => (line.to_owned(), None),
        };
        rows.push(row);
        i += 1;
    }
    rows
}

/// `403 Forbidden`, `403Forbidden`, `400 BadRequest`, `404`: the status, checked against its
/// reason phrase when one is given.
fn status(cell: &str) -> u16 {
    let digits: String = cell.chars().take_while(char::is_ascii_digit).collect();
    let status: u16 = digits
        .parse()
        .unwrap_or_else(|_| panic!("no status in {cell:?}"));
    let reason: String = cell[digits.len()..].split_whitespace().collect();
    if !reason.is_empty() {
        let canonical = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or_else(|| panic!("{cell:?} is not a known status"));
        assert_eq!(
            reason,
            no_whitespace(canonical),
            "reason phrase of {cell:?}"
        );
    }
    status
}

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/// BCE messages of the older tables: whitespace collapsed, `’` as `'`, the `XXX` / `<Data>`
/// placeholder as `{}`, no space before a full stop.
fn normalise_bce(message: &str) -> String {
    let message = message
        .replace('’', "'")
        .replace("<Data>", "{}")
        .replace("XXX", "{}");
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    message.replace(" .", ".")
}

/// The Kafka table also drops spaces between words: compare without any whitespace.
fn normalise_kafka(message: &str) -> String {
    normalise_bce(message).split_whitespace().collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Removes the spaces that sit between two Chinese characters or punctuation marks (table
/// artefacts); spaces between Chinese and Latin text stay.
fn tidy_zh(message: &str) -> String {
    let chars: Vec<char> = message.trim().chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = chars[..i].iter().rev().find(|&&b| b != ' ');
            let after = chars[i + 1..].iter().find(|&&a| a != ' ');
            if let (Some(&b), Some(&a)) = (before, after) {
                if is_cjk(b) && is_cjk(a) {
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn no_whitespace(message: &str) -> String {
    message.split_whitespace().collect()
}

// ---------------------------------------------------------------------------------------------
// Catalog helpers
// ---------------------------------------------------------------------------------------------

/// The code named `name` in `all`, which must hold it exactly once.
fn find(all: &[Code], name: &str) -> Code {
    let found: Vec<&Code> = all.iter().filter(|code| code.name() == name).collect();
    assert_eq!(found.len(), 1, "{name} in the catalog");
    *found[0]
}

fn names(all: &[Code]) -> Vec<&'static str> {
    all.iter().map(Code::name).collect()
}

/// The naming rule documented in `catalog`'s module docs.
fn screaming_snake(wire: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for segment in wire.split('.') {
        let chars: Vec<char> = segment.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && c.is_ascii_uppercase() {
                let previous = chars[i - 1];
                let next = chars.get(i + 1).copied();
                if previous.is_ascii_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_ascii_uppercase()
                        && next.is_some_and(|n| n.is_ascii_lowercase()))
                {
                    words.push(std::mem::take(&mut word));
                }
            }
            word.push(c.to_ascii_uppercase());
        }
        words.push(word);
    }
    words.join("_")
}

// ---------------------------------------------------------------------------------------------
// BCE
// ---------------------------------------------------------------------------------------------

/// A documented message that the catalog deliberately does not follow (see PROTOCOL.md): the
/// document, the code, and the document's text exactly as written.
struct KnownDisagreement {
    document: &'static str,
    code: &'static str,
    documented: &'static str,
}

const BCE_KNOWN: &[KnownDisagreement] = &[
    // The older tables copy InvalidAccessKeyId's message.
    KnownDisagreement {
        document: "eip",
        code: "InvalidHTTPAuthHeader",
        documented: "The Access Key ID you provided does not exist in our records.",
    },
    KnownDisagreement {
        document: "kafka",
        code: "InvalidHTTPAuthHeader",
        documented: "The Access Key ID you provided does notexist in our records.",
    },
    // The Kafka table drops InternalError's first full stop.
    KnownDisagreement {
        document: "kafka",
        code: "InternalError",
        documented: "We encountered an internal error Please try again.",
    },
];

fn known(list: &'static [KnownDisagreement], document: &str, code: &str) -> Option<&'static str> {
    list.iter()
        .find(|k| k.document == document && k.code == code)
        .map(|k| k.documented)
}

const BCE_HEADER_NEW: [&str; 4] = ["Code", "Message", "HTTP Status Code", "说明"];

/// Checks one table of `(code, message, status, …)` rows against `all`: same codes in the same
/// order, documented statuses, and messages equal after `normalise` (the identity for the
/// preferred document). Returns the number of rows checked.
fn check_bce_table(
    document: &str,
    rows: &[Vec<String>],
    all: &[Code],
    normalise: fn(&str) -> String,
) -> usize {
    let documented: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(names(all), documented, "{document}: codes and order");
    let mut disagreements = 0;
    for row in rows {
        let code = find(all, &row[0]);
        assert_eq!(code.dialect(), bce::DIALECT, "{}", row[0]);
        assert_eq!(
            code.status().as_u16(),
            status(&row[2]),
            "{document}: status of {}",
            row[0]
        );
        match known(BCE_KNOWN, document, &row[0]) {
            Some(text) => {
                assert_eq!(
                    row[1], text,
                    "{document}: known disagreement on {} has changed",
                    row[0]
                );
                assert_ne!(
                    normalise(code.message()),
                    normalise(&row[1]),
                    "{document}: {} is listed as a disagreement but agrees",
                    row[0]
                );
                disagreements += 1;
            }
            None => assert_eq!(
                normalise(code.message()),
                normalise(&row[1]),
                "{document}: message of {}",
                row[0]
            ),
        }
    }
    let listed = BCE_KNOWN.iter().filter(|k| k.document == document).count();
    assert_eq!(
        disagreements, listed,
        "{document}: every known disagreement was seen"
    );
    rows.len()
}

/// The newest table is the reference: messages exactly, the template's placeholder as `{}`.
fn exact_bce(message: &str) -> String {
    message.replace("XXX", "{}")
}

#[test]
fn bce_newest_tables_match_exactly() {
    let tables = pipe_tables(BCE_NEW);
    assert_eq!(tables.len(), 2, "tables of the 2025-06-06 page");
    assert!(tables[0].heading.iter().any(|l| l == "更新时间:2025-06-06"));
    let common = table(&tables, "公共错误码");
    let dev = table(&tables, "开发机错误码");
    assert_eq!(common.header, BCE_HEADER_NEW);
    assert_eq!(dev.header, BCE_HEADER_NEW);
    assert_eq!(common.rows.len(), 14, "BCE common rows parsed");
    assert_eq!(dev.rows.len(), 3, "dev-machine rows parsed");

    assert_eq!(
        check_bce_table("new", &common.rows, bce::common::ALL, exact_bce),
        14
    );
    assert_eq!(
        check_bce_table("new", &dev.rows, bce::dev_machine::ALL, exact_bce),
        3
    );

    // The messages PROTOCOL.md settles, spelled out.
    assert_eq!(
        bce::common::INVALID_HTTP_AUTH_HEADER.message(),
        "The HTTP authorization header is invalid. Consult the service documentation for details."
    );
    assert_eq!(
        bce::common::INTERNAL_ERROR.message(),
        "We encountered an internal error. Please try again."
    );
    assert_eq!(
        bce::common::PRECONDITION_FAILED.message(),
        "The specified If-Match header doesn't match the ETag header."
    );
    assert_eq!(
        bce::common::REQUEST_EXPIRED.message(),
        "Request has expired. Timestamp date is {}."
    );
    assert_eq!(bce::dev_machine::NOT_FOUND.status().as_u16(), 403);
}

#[test]
fn bce_eip_page_matches() {
    let tables = pipe_tables(BCE_EIP);
    // The response-format table, the global codes and three service tables.
    assert_eq!(tables.len(), 5, "tables of the EIP page");
    assert_eq!(tables[0].header, ["Parameter name", "Types", "Description"]);
    assert_eq!(tables[0].rows.len(), 3);

    let global = table(&tables, "BCE global error codes");
    let eip = table(&tables, "EIP service error code");
    let group = table(&tables, "EIPGROUP service error code");
    let bandwidth = table(&tables, "Bandwidth package service error code");
    assert_eq!(
        global.rows.len(),
        14,
        "BCE global rows parsed (several span three lines)"
    );
    assert_eq!(eip.rows.len(), 8, "EIP rows parsed");
    assert_eq!(group.rows.len(), 6, "EIPGROUP rows parsed");
    assert_eq!(bandwidth.rows.len(), 7, "bandwidth package rows parsed");

    // A row split over three lines is reassembled whole.
    let inappropriate = &global.rows[1];
    assert_eq!(inappropriate[0], "InappropriateJSON");
    assert_eq!(inappropriate[2], "400 Bad Request");
    assert!(inappropriate[3].ends_with("without returning this error."));

    check_bce_table("eip", &global.rows, bce::common::ALL, normalise_bce);
    // Service tables are the only source of their codes: exact messages.
    check_bce_table("eip-service", &eip.rows, bce::eip::ALL, str::to_owned);
    check_bce_table(
        "eip-service",
        &group.rows,
        bce::eip_group::ALL,
        str::to_owned,
    );
    check_bce_table(
        "eip-service",
        &bandwidth.rows,
        bce::bandwidth_package::ALL,
        str::to_owned,
    );
}

#[test]
fn bce_kafka_page_matches() {
    let tables = pipe_tables(BCE_KAFKA);
    // The response-format table and the common codes, both without a leading pipe.
    assert_eq!(tables.len(), 2, "tables of the Kafka page");
    assert_eq!(tables[0].header, ["参数名", "类型", "说明"]);
    assert_eq!(tables[0].rows.len(), 3);
    let common = table(&tables, "公共错误码");
    assert_eq!(common.header, ["错误码", "错误消息", "HTTP状态码", "描述"]);
    assert_eq!(common.rows.len(), 14, "Kafka common rows parsed");
    check_bce_table("kafka", &common.rows, bce::common::ALL, normalise_kafka);
}

#[test]
fn bce_normalisation_still_tells_messages_apart() {
    // The loosest comparison (Kafka's) must still catch a wrong word or a missing full stop.
    assert_ne!(
        normalise_kafka("Access denied."),
        normalise_kafka("Access denied")
    );
    assert_ne!(
        normalise_kafka("Access denied."),
        normalise_kafka("Access refused.")
    );
    assert_eq!(
        normalise_kafka("doesn’tmatch <Data>."),
        normalise_kafka("doesn't match {}.")
    );
    assert_eq!(normalise_bce("is <Data> ."), "is {}.");
    assert_ne!(
        normalise_bce("Resource could not be found"),
        normalise_bce("Resource could not be found.")
    );
}

// ---------------------------------------------------------------------------------------------
// Tencent
// ---------------------------------------------------------------------------------------------

/// Messages of the complete common page that the catalog completes: the only message without a
/// closing full stop.
const TENCENT_FULL_STOP_ADDED: &[(&str, &str)] = &[("NoSuchProduct", "产品不存在")];

/// Common codes whose TCR-page message differs from the complete page's, which wins.
const TENCENT_TCR_KNOWN: &[KnownDisagreement] = &[
    KnownDisagreement {
        document: "tcr",
        code: "AuthFailure.SignatureFailure",
        documented: "签名错误。 签名计算错误,请对照调用方式中的接口鉴权文档检查签名计算过程。",
    },
    KnownDisagreement {
        document: "tcr",
        code: "AuthFailure.UnauthorizedOperation",
        documented: "请求未 CAM 授权。",
    },
    KnownDisagreement {
        document: "tcr",
        code: "InvalidParameter",
        documented: "参数错误。",
    },
    KnownDisagreement {
        document: "tcr",
        code: "MissingParameter",
        documented: "缺少参数错误。",
    },
    KnownDisagreement {
        document: "tcr",
        code: "UnknownParameter",
        documented: "未知参数错误。",
    },
];

struct TencentTables {
    /// The complete page's 公共错误码 rows.
    common: Vec<(String, String)>,
    /// The complete page's 业务错误码 rows (`AuthFailure`).
    business: Vec<(String, String)>,
    /// The TCR page's 公共错误码 rows.
    tcr_common: Vec<(String, String)>,
    /// The TCR page's 业务错误码 codes (no messages).
    tcr_business: Vec<String>,
}

fn tencent_tables() -> TencentTables {
    let tables = pipe_tables(TENCENT_COMMON);
    assert_eq!(tables.len(), 2, "tables of the complete common page");
    let pairs = |title: &str| -> Vec<(String, String)> {
        let table = table(&tables, title);
        assert_eq!(table.header, ["错误码", "说明"]);
        table
            .rows
            .iter()
            .map(|row| (row[0].clone(), row[1].clone()))
            .collect()
    };
    let common = pairs("公共错误码");
    let business = pairs("业务错误码");

    let tcr_common = plain_table(TENCENT_TCR, "公共错误码")
        .into_iter()
        .map(|(code, message)| {
            let message =
                message.unwrap_or_else(|| panic!("TCR common code {code} has no message"));
            (code, message)
        })
        .collect();
    let tcr_business = plain_table(TENCENT_TCR, "业务错误码")
        .into_iter()
        .map(|(code, message)| {
            assert_eq!(
                message, None,
                "TCR business code {code} has a description now"
            );
            code
        })
        .collect();
    TencentTables {
        common,
        business,
        tcr_common,
        tcr_business,
    }
}

#[test]
fn tencent_tables_parse_completely() {
    let t = tencent_tables();
    assert_eq!(t.common.len(), 38, "common rows of the complete page");
    assert_eq!(t.business.len(), 1, "business rows of the complete page");
    assert_eq!(t.business[0].0, "AuthFailure");
    assert_eq!(t.tcr_common.len(), 26, "common rows of the TCR page");
    assert_eq!(t.tcr_business.len(), 40, "business rows of the TCR page");
    for (code, _) in t.common.iter().chain(&t.business).chain(&t.tcr_common) {
        assert!(
            code.chars().next().is_some_and(|c| c.is_ascii_uppercase()),
            "{code}"
        );
    }
}

#[test]
fn tencent_common_is_the_union_of_both_pages() {
    let t = tencent_tables();
    let mut union: Vec<&str> = Vec::new();
    for (code, _) in t.common.iter().chain(&t.business).chain(&t.tcr_common) {
        if !union.contains(&code.as_str()) {
            union.push(code);
        }
    }
    assert_eq!(
        union.len(),
        39,
        "common codes of both pages plus AuthFailure"
    );
    // In the complete page's order, AuthFailure last (the TCR page adds no code of its own).
    assert_eq!(names(tencent::common::ALL), union);
}

#[test]
fn tencent_common_messages_follow_the_complete_page() {
    let t = tencent_tables();
    for (name, documented) in t.common.iter().chain(&t.business) {
        let code = find(tencent::common::ALL, name);
        let expected = match TENCENT_FULL_STOP_ADDED.iter().find(|(n, _)| n == name) {
            Some((_, text)) => {
                assert_eq!(documented, text, "{name}: documented text has changed");
                format!("{}。", tidy_zh(documented))
            }
            None => tidy_zh(documented),
        };
        assert_eq!(code.message_zh(), expected, "Chinese message of {name}");
    }
    // The one table artefact of the complete page, spelled out.
    assert_eq!(
        tencent::common::AUTH_FAILURE_SECRET_ID_NOT_FOUND.message_zh(),
        "密钥不存在。请在控制台检查密钥是否已被删除或者禁用,如状态正常,请检查密钥是否填写正确,注意前后不得有空格。"
    );
    assert_eq!(
        tencent::common::NO_SUCH_PRODUCT.message_zh(),
        "产品不存在。"
    );
}

#[test]
fn tencent_tcr_page_common_codes_agree_but_for_known_differences() {
    let t = tencent_tables();
    let mut disagreements = 0;
    for (name, documented) in &t.tcr_common {
        let code = find(tencent::common::ALL, name);
        match known(TENCENT_TCR_KNOWN, "tcr", name) {
            Some(text) => {
                assert_eq!(documented, text, "{name}: known disagreement has changed");
                assert_ne!(
                    no_whitespace(code.message_zh()),
                    no_whitespace(documented),
                    "{name}"
                );
                disagreements += 1;
            }
            None => assert_eq!(
                no_whitespace(code.message_zh()),
                no_whitespace(documented),
                "Chinese message of {name} (TCR page)"
            ),
        }
    }
    assert_eq!(disagreements, TENCENT_TCR_KNOWN.len());
}

#[test]
fn tencent_tcr_business_codes() {
    let t = tencent_tables();
    assert_eq!(
        names(tencent::tcr::ALL),
        t.tcr_business,
        "TCR codes and order"
    );
    let common: HashSet<&str> = names(tencent::common::ALL).into_iter().collect();
    let mut reexported = BTreeSet::new();
    for name in &t.tcr_business {
        let code = find(tencent::tcr::ALL, name);
        if common.contains(name.as_str()) {
            // A common code listed by the TCR table is the common code itself.
            assert_eq!(code, find(tencent::common::ALL, name), "{name}");
            reexported.insert(name.as_str());
        }
    }
    assert_eq!(
        reexported,
        BTreeSet::from([
            "InternalError",
            "InvalidParameter",
            "MissingParameter",
            "ResourceNotFound",
            "UnauthorizedOperation",
            "UnknownParameter",
            "UnsupportedOperation",
        ])
    );
    assert_eq!(
        tencent::tcr::INTERNAL_ERROR,
        tencent::common::INTERNAL_ERROR
    );
    assert_eq!(
        tencent::tcr::RESOURCE_NOT_FOUND_ERR_NO_REPO.message_zh(),
        "仓库不存在。"
    );
    assert_eq!(
        tencent::tcr::INTERNAL_ERROR_DB_ERROR.message_zh(),
        "数据库错误。"
    );
}

#[test]
fn tidy_zh_removes_only_spaces_between_chinese() {
    assert_eq!(tidy_zh("请在 控制台 检查"), "请在控制台检查");
    assert_eq!(tidy_zh("密钥不存在。 请在"), "密钥不存在。请在");
    assert_eq!(tidy_zh("MFA 错误。"), "MFA 错误。");
    assert_eq!(tidy_zh("http(s) 请求协议错误"), "http(s) 请求协议错误");
    assert_eq!(
        tidy_zh("只支持 GET 和 POST 请求。"),
        "只支持 GET 和 POST 请求。"
    );
}

// ---------------------------------------------------------------------------------------------
// Every catalog
// ---------------------------------------------------------------------------------------------

const BCE_MODULES: [(&str, &[Code]); 5] = [
    ("bce::common", bce::common::ALL),
    ("bce::dev_machine", bce::dev_machine::ALL),
    ("bce::eip", bce::eip::ALL),
    ("bce::eip_group", bce::eip_group::ALL),
    ("bce::bandwidth_package", bce::bandwidth_package::ALL),
];

const TENCENT_MODULES: [(&str, &[Code]); 2] = [
    ("tencent::common", tencent::common::ALL),
    ("tencent::tcr", tencent::tcr::ALL),
];

#[test]
fn row_counts() {
    let counts: Vec<(&str, usize)> = BCE_MODULES
        .iter()
        .chain(&TENCENT_MODULES)
        .map(|(module, all)| (*module, all.len()))
        .collect();
    assert_eq!(
        counts,
        [
            ("bce::common", 14),
            ("bce::dev_machine", 3),
            ("bce::eip", 8),
            ("bce::eip_group", 6),
            ("bce::bandwidth_package", 7),
            ("tencent::common", 39),
            ("tencent::tcr", 40),
        ]
    );
}

#[test]
fn no_duplicates_in_any_catalog() {
    for (module, all) in BCE_MODULES.iter().chain(&TENCENT_MODULES) {
        let mut seen = HashSet::new();
        for code in *all {
            assert!(seen.insert(code.name()), "{module}: {} twice", code.name());
        }
    }
}

#[test]
fn bce_codes_are_well_formed() {
    for (module, all) in BCE_MODULES {
        for code in all {
            assert_eq!(code.dialect(), bce::DIALECT, "{module}: {code}");
            let status = code.status().as_u16();
            assert!((400..600).contains(&status), "{module}: {code} {status}");
            assert!(!code.message().is_empty(), "{module}: {code}");
            assert!(code.message().is_ascii(), "{module}: {code}");
            assert_eq!(code.message(), code.message().trim(), "{module}: {code}");
            assert_eq!(code.message_zh(), code.message(), "{module}: {code}");
        }
    }
}

#[test]
fn tencent_codes_are_well_formed() {
    for (module, all) in TENCENT_MODULES {
        for code in all {
            assert_eq!(code.dialect(), tencent::DIALECT, "{module}: {code}");
            assert_eq!(code.status().as_u16(), 200, "{module}: {code}");
            let zh = code.message_zh();
            let en = code.message();
            assert!(zh.chars().any(is_cjk), "{module}: {code}: {zh:?}");
            assert!(zh.ends_with('。'), "{module}: {code}: {zh:?}");
            assert_eq!(zh, tidy_zh(zh), "{module}: {code}: stray space in {zh:?}");
            assert!(en.is_ascii(), "{module}: {code}: {en:?}");
            assert!(en.ends_with('.'), "{module}: {code}: {en:?}");
            assert!(
                en.starts_with(|c: char| c.is_ascii_uppercase()),
                "{module}: {code}: {en:?}"
            );
            assert!(!en.contains("  "), "{module}: {code}: {en:?}");
        }
    }
}

#[test]
fn layer_codes_keep_their_names() {
    assert_eq!(bce::common::INTERNAL_ERROR.name(), "InternalError");
    assert_eq!(bce::common::INTERNAL_ERROR.status().as_u16(), 500);
    assert_eq!(tencent::common::INTERNAL_ERROR.name(), "InternalError");
    assert_eq!(
        tencent::common::INTERNAL_ERROR.message(),
        "An internal error occurred."
    );
}

// ---------------------------------------------------------------------------------------------
// The source of the catalogs
// ---------------------------------------------------------------------------------------------

/// `(constant, wire name, doc comment line)` for every `pub const X: Code = Code::…("Name", …)`,
/// and the constants re-exported with `pub use super::common::X;`.
fn declarations(source: &str) -> (Vec<(String, String, String)>, Vec<String>) {
    let mut consts = Vec::new();
    let mut reexports = Vec::new();
    let mut previous_line = "";
    let mut rest = source;
    while let Some(at) = rest.find("pub const ") {
        let before = &rest[..at];
        if let Some(line) = before.lines().rev().find(|l| !l.trim().is_empty()) {
            previous_line = line;
        }
        let after = &rest[at + "pub const ".len()..];
        let (ident, tail) = after.split_once(':').expect("pub const NAME:");
        let tail = tail.trim_start();
        if tail.starts_with("Code =") {
            let call = tail
                .find("Code::bce(")
                .or_else(|| tail.find("Code::tencent("))
                .expect("declared with Code::bce or Code::tencent");
            let literal = &tail[call..];
            let open = literal.find('"').expect("wire name literal");
            let close = literal[open + 1..].find('"').expect("end of literal") + open + 1;
            consts.push((
                ident.trim().to_owned(),
                literal[open + 1..close].to_owned(),
                previous_line.trim().to_owned(),
            ));
        }
        rest = after;
    }
    for line in source.lines() {
        if let Some(name) = line.trim().strip_prefix("pub use super::common::") {
            reexports.push(name.trim_end_matches(';').to_owned());
        }
    }
    (consts, reexports)
}

#[test]
fn constants_follow_the_naming_rule_and_are_documented() {
    assert_eq!(screaming_snake("EipNotFound"), "EIP_NOT_FOUND");
    assert_eq!(
        screaming_snake("InvalidHTTPAuthHeader"),
        "INVALID_HTTP_AUTH_HEADER"
    );
    assert_eq!(
        screaming_snake("ResourceNotFound.ErrNoRepo"),
        "RESOURCE_NOT_FOUND_ERR_NO_REPO"
    );
    assert_eq!(
        screaming_snake("InvalidParameter.ErrNSMisMatch"),
        "INVALID_PARAMETER_ERR_NS_MIS_MATCH"
    );
    assert_eq!(
        screaming_snake("InternalError.DbError"),
        "INTERNAL_ERROR_DB_ERROR"
    );

    let mut wire_names: HashMap<String, usize> = HashMap::new();
    for (source, modules) in [
        (BCE_SOURCE, &BCE_MODULES[..]),
        (TENCENT_SOURCE, &TENCENT_MODULES[..]),
    ] {
        assert!(
            !source.contains("/work/"),
            "no machine paths in the catalogs"
        );
        let (consts, reexports) = declarations(source);
        for (ident, wire, doc) in &consts {
            assert_eq!(ident, &screaming_snake(wire), "constant for {wire}");
            assert!(
                doc.starts_with(&format!("/// `{wire}`")),
                "{ident} needs a one-line doc comment naming `{wire}`, found {doc:?}"
            );
            *wire_names.entry(wire.clone()).or_default() += 1;
        }
        let declared = consts.len() + reexports.len();
        let listed: usize = modules.iter().map(|(_, all)| all.len()).sum();
        assert_eq!(
            declared, listed,
            "every listed code is declared once per module"
        );
        for name in &reexports {
            assert!(
                consts.iter().any(|(ident, _, _)| ident == name),
                "re-export {name} of a declared common code"
            );
        }
    }
    // Every code in an ALL is one of the declarations.
    for (_, all) in BCE_MODULES.iter().chain(&TENCENT_MODULES) {
        for code in *all {
            assert!(
                wire_names.contains_key(code.name()),
                "{} is declared",
                code.name()
            );
        }
    }
    assert_eq!(wire_names["InstanceNotFound"], 2, "in eip and eip_group");
    assert_eq!(
        wire_names["InternalError"], 2,
        "in bce::common and tencent::common"
    );
}
