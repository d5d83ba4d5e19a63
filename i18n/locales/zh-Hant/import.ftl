# kiosk import：kiosk export 格式的記錄，整個檔案全部匯入或完全不匯入。
import-done = 匯入完成：新增 { $new } 項，變更 { $changed } 項，{ $unchanged } 項沒有變更。
import-refused = 沒有匯入任何記錄：檔案中有 { $count } 行有誤。請更正後重新匯入整個檔案。
import-bad-line = 第 { $line } 行：{ $reason }
import-more-bad-lines = ……另有 { $count } 行有誤。
import-cannot-read = 無法讀取 { $file }：{ $detail }
import-not-text = 這一行不是文字（UTF-8）。
import-not-json = 這一行不是 JSON（{ $detail }）。
import-not-an-object = 這一行不是包含記錄類別、識別碼及欄位的 JSON 物件。
import-no-kind = 這一行沒有「kind」（記錄類別，與 kiosk export 所寫的相同）。
import-unknown-kind = 沒有名為「{ $kind }」的記錄類別。
import-no-id = 這一行沒有「id」。
import-bad-id = 「{ $id }」不是記錄識別碼（26 個字母及數字）。
import-not-a-record = 這些欄位不能組成{ $kind }記錄：{ $detail }
import-unknown-field = { $kind }記錄沒有名為「{ $field }」的欄位。
import-invalid = 無法寫入這項{ $kind }記錄：{ $problems }
