# kiosk print: what the store must hold to print a document.

print-no-application = Não existe nenhum pedido com este identificador na base de dados.
print-no-applicant = O requerente deste pedido ainda não está na base de dados (pode estar ainda a sincronizar).
print-no-payment = Ainda não há pagamento registado para este pedido: registe o pagamento e depois imprima o recibo.
print-id-macau = Bilhete de Identidade de Residente de Macau
print-id-mainland = Bilhete de Identidade de Residente do Interior da China
print-id-hong-kong = Bilhete de Identidade de Hong Kong
print-id-passport = Passaporte
print-id-residence-permit = Autorização de residência
print-receipt-line = Certificado { $class }, { $years ->
        [1] 1 ano
       *[other] { $years } anos
    }
print-class-qualified = qualificado
print-class-standard = normal
print-class-encryption = de cifra
print-class-cloud-sign = de assinatura na nuvem
print-written = O PDF foi gravado em { $file }.
print-printed = Impresso (trabalho { $job }).
print-at-printer = A impressora tem o trabalho ({ $job }) e vai imprimi-lo.
print-waiting = Ainda não impresso: { $reason } O trabalho ({ $job }) fica na fila e é enviado de novo na próxima impressão ou com «kiosk print queue». Nada se perde.
print-failed = O trabalho ({ $job }) não pôde ser impresso: { $reason }
print-earlier-printed = Um trabalho que estava à espera foi impresso ({ $job }).
formcode-not-a-form-code = Este código QR não é de um formulário impresso pelo quiosque.
formcode-malformed = O código QR deste formulário está danificado ({ $detail }). Leia-o de novo ou procure o pedido pela referência.
formcode-forged = O código QR deste formulário não corresponde à sua assinatura: o formulário foi alterado ou não foi impresso por este posto. Não o aceite; procure o pedido pela referência e verifique o formulário.
print-next-try = Próxima tentativa em { $at }.
print-unknown = Ainda não se sabe se a impressora recebeu o trabalho ({ $job }): { $reason }
print-no-printer = Indique onde imprimir: --printer URI ou --to-file FICHEIRO.
print-cancelled = O trabalho de impressão { $job } foi cancelado e o seu PDF apagado.
print-cancel-maybe-at-printer = A impressora { $printer } pode já o ter recebido: se ainda não saiu, cancele-o também na impressora.
print-cancel-no-clerk = Não há nenhum funcionário { $clerk } neste posto.
print-cancel-not-supervisor = { $clerk } não é supervisor: só um supervisor pode cancelar um trabalho de impressão.
print-cancel-inactive = { $clerk } já não está activo e não pode cancelar trabalhos de impressão.
