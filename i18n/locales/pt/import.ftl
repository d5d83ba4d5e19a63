# kiosk import: registos no formato de kiosk export, o ficheiro todo ou nada.
import-done = Importação concluída: { $new ->
        [1] 1 registo novo
       *[other] { $new } registos novos
    }, { $changed ->
        [1] 1 alterado
       *[other] { $changed } alterados
    }, { $unchanged } sem alterações.
import-refused = Nada foi importado: { $count ->
        [1] 1 linha do ficheiro tem erros. Corrija-a
       *[other] { $count } linhas do ficheiro têm erros. Corrija-as
    } e importe de novo o ficheiro inteiro.
import-bad-line = Linha { $line }: { $reason }
import-more-bad-lines = …e mais { $count ->
        [1] 1 linha com erros
       *[other] { $count } linhas com erros
    }.
import-cannot-read = Não é possível ler { $file }: { $detail }
import-not-text = não é texto (UTF-8).
import-not-json = não é JSON ({ $detail }).
import-not-an-object = não é um objecto JSON com o tipo, o identificador e os campos do registo.
import-no-kind = não tem «kind» (o tipo do registo, como kiosk export o escreve).
import-unknown-kind = não existe um tipo de registo chamado «{ $kind }».
import-no-id = não tem «id».
import-bad-id = «{ $id }» não é um identificador de registo (26 letras e algarismos).
import-not-a-record = os seus campos não formam um registo de { $kind }: { $detail }
import-unknown-field = um registo de { $kind } não tem nenhum campo chamado «{ $field }».
import-invalid = o registo de { $kind } não pode ser gravado: { $problems }
