# Os membros de uma entidade e o que o seu administrador lhes autoriza usar (seed 004).

members-title = Membros e autorizações
members-loading = A abrir os membros…
members-saving = A guardar…
members-wait = Aguarde que a alteração fique guardada.
members-none = Sem membros registados.
members-former = já não é membro
members-no-authorisations = sem autorizações
members-organisations-only = Os membros e as autorizações são de uma entidade: abra a ficha de uma entidade.
members-not-found = Esta entidade ou autorização não está na base de dados deste kiosk (talvez ainda não tenha sido sincronizada).
members-select-member = Escolha primeiro um membro.
members-select-authorisation = Escolha primeiro uma autorização (uma linha sob um membro).
members-nothing-to-grant = A entidade não tem certificado nem selo que possa ser autorizado.
members-years-bounds = Uma autorização vale de { $min } a { $max } anos.

members-object-certificate = certificado digital { $class } { $serial }
members-object-seal = selo: { $name }
members-object-unknown = (não consta deste kiosk)
members-years = { $count ->
        [1] { $count } ano
       *[other] { $count } anos
    }
members-until = até { $date }
members-status-in-force = em vigor
members-status-expired = caducada
members-status-not-yet = ainda sem efeito
members-status-suspended = suspensa
members-status-ended = revogada

members-form-grant = Conceder uma autorização a { $name }
members-form-change = Alterar a autorização de { $name }
members-form-transfer = Tornar { $name } o administrador
members-form-object = Certificado ou selo
members-form-years = Anos de validade
members-letter = Foi recebida a carta de transferência do administrador, assinada
members-confirm-end = Revogar definitivamente a autorização de { $name } para usar { $object }? Não pode ser retomada.
members-confirm-transfer = Tornar { $name } o administrador? O administrador actual deixa de o ser.

members-granted = Autorização concedida.
members-changed = Autorização alterada.
members-withdrawn = Autorização suspensa.
members-restored = Autorização retomada.
members-ended = Autorização revogada.
members-transferred = Administrador transferido; a carta fica registada.

members-key-open = membros
members-key-add = conceder
members-key-change = alterar
members-key-suspend = suspender
members-key-resume = retomar
members-key-end = revogar
members-key-transfer = transferir administrador
members-key-previous-object = certificado ou selo anterior
members-key-next-object = certificado ou selo
members-key-fewer-years = menos anos
members-key-more-years = mais anos
members-key-save = guardar
members-key-cancel = cancelar
members-key-letter = carta recebida
members-key-yes = sim
members-key-no = não

members-years-out-of-range = Uma autorização vale de { $min } a { $max } anos completos (pedidos: { $years }).
members-not-an-employee = Só um trabalhador actual da entidade pode ter uma autorização.
members-no-administrator = A entidade não tem administrador que a conceda: nomeie primeiro um (transferir administrador, com a carta assinada).
members-object-not-the-organisations = Esse certificado ou selo não é desta entidade.
members-object-not-usable = Esse certificado ou selo já não pode ser usado (revogado ou caducado).
members-already-authorised = Esta pessoa já tem esse certificado ou selo (talvez suspenso): altere antes essa autorização.
members-not-this-organisation = Essa autorização é de outra entidade.
members-authorisation-ended = Esta autorização foi revogada: não pode ser alterada nem retomada.
members-already-withdrawn = Esta autorização já está suspensa.
members-not-withdrawn = Só uma autorização suspensa pode ser retomada.
members-nothing-changed = Nada foi alterado.
members-ends-in-the-past = Com estes anos a autorização teria terminado em { $until }: escolha mais anos, ou revogue-a.
members-letter-required = Receba primeiro a carta de transferência do administrador, assinada.
members-not-a-member = O novo administrador tem de ser um membro actual da entidade.
members-already-administrator = Esta pessoa já é o administrador.
