# kiosk import: records in kiosk export's form, all of the file or nothing.
import-done = Imported: { $new } new, { $changed } changed, { $unchanged } unchanged.
import-refused = Nothing was imported: { $count ->
        [one] { $count } line of the file is bad. Correct it
       *[other] { $count } lines of the file are bad. Correct them
    } and import the whole file again.
import-bad-line = Line { $line }: { $reason }
import-more-bad-lines = …and { $count ->
        [one] { $count } more bad line
       *[other] { $count } more bad lines
    }.
import-cannot-read = Cannot read { $file }: { $detail }
import-not-text = it is not text (UTF-8).
import-not-json = it is not JSON ({ $detail }).
import-not-an-object = it is not a JSON object with the record's kind, id and fields.
import-no-kind = it has no “kind” (the record's kind, as kiosk export writes it).
import-unknown-kind = there is no kind of record called “{ $kind }”.
import-no-id = it has no “id”.
import-bad-id = “{ $id }” is not a record id (26 letters and digits).
import-not-a-record = its fields do not make a { $kind } record: { $detail }
import-unknown-field = a { $kind } record has no field called “{ $field }”.
import-invalid = the { $kind } record cannot be written: { $problems }
