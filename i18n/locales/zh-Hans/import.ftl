# kiosk import：kiosk export 格式的记录，整个文件全部导入或完全不导入。
import-done = 导入完成：新增 { $new } 条，变更 { $changed } 条，{ $unchanged } 条没有变更。
import-refused = 没有导入任何记录：文件中有 { $count } 行有误。请更正后重新导入整个文件。
import-bad-line = 第 { $line } 行：{ $reason }
import-more-bad-lines = ……另有 { $count } 行有误。
import-cannot-read = 无法读取 { $file }：{ $detail }
import-not-text = 该行不是文本（UTF-8）。
import-not-json = 该行不是 JSON（{ $detail }）。
import-not-an-object = 该行不是包含记录类型、标识符及字段的 JSON 对象。
import-no-kind = 该行没有“kind”（记录类型，与 kiosk export 所写的相同）。
import-unknown-kind = 没有名为“{ $kind }”的记录类型。
import-no-id = 该行没有“id”。
import-bad-id = “{ $id }”不是记录标识符（26 个字母及数字）。
import-not-a-record = 这些字段不能组成{ $kind }记录：{ $detail }
import-unknown-field = { $kind }记录没有名为“{ $field }”的字段。
import-invalid = 无法写入该{ $kind }记录：{ $problems }
