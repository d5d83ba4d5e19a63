# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = Este pedido não consta dos registos da entidade.
visit-no-applicant = O registo do requerente não foi encontrado.
visit-renewal-none-due = Esta pessoa não tem nenhum certificado digital para renovação (a renovação abre 30 dias antes de expirar).
visit-no-certificates = Esta pessoa não tem nenhum certificado digital em vigor para este serviço.
visit-step-not-open = Este passo ainda não pode ser dado: o atendimento está num passo anterior ({ visit-step-name }).
visit-supervisor-own-action = Um supervisor nunca aprova a sua própria acção: outro supervisor tem de iniciar sessão.
visit-supervisor-required = Só um supervisor activo pode fazer isto: um supervisor tem de iniciar sessão.
visit-reason-required = Escreva o motivo: fica guardado com o pedido.
visit-skip-never = Este passo nunca é dispensado.
visit-skip-supervisor-only = Só um supervisor pode dispensar este passo.
visit-skip-not-in-plan = Este passo não faz parte deste serviço.
visit-identity-nothing-to-override = A verificação da identidade não falhou: não há nada a aprovar.
visit-form-key-missing = Este balcão não tem a chave dos formulários: não foi ele que imprimiu este formulário. Leia-o no balcão da entidade que o imprimiu.
visit-form-earlier-printing = Este formulário assinado é de uma impressão anterior: o formulário foi impresso de novo ({ $printed }) e só se aceita o último impresso. Peça que assinem (e carimbem) o formulário impresso por último e leia o seu código.
visit-form-print-failed = O formulário não foi impresso (trabalho { $job }): { visit-print-reason }. Verifique a impressora e imprima de novo.
visit-receipt-print-failed = O pagamento está registado, mas o recibo não foi impresso (trabalho { $job }): { visit-print-reason }. Imprima-o de novo a partir da fila de impressão: kiosk print queue.
visit-payment-reference-required = Introduza a referência do pagamento (número do recibo ou do terminal de pagamento).
visit-invoice-too-late = Os dados da factura são impressos no formulário e verificados com ele: não podem mudar depois de o formulário ser assinado.
visit-no-token-module = Este balcão não tem módulo de token configurado (token_module): o certificado não pode ser gravado no token USB.
visit-token-unknown = O token USB deste certificado não consta dos registos da entidade.
visit-token-not-present = Ligue o token USB do requerente (número de série { $serial }): não foi detectado.
visit-token-other-certificate = O token USB tem outro certificado ({ $serial }): ligue o token do certificado a renovar.
visit-ca-pin-needed = A AC da entidade não está desbloqueada neste balcão (KIOSK_CA_PIN): não é possível emitir certificados aqui. Contacte o suporte.
visit-stock-pin-needed = O PIN do stock não está definido neste quiosque (KIOSK_STOCK_PIN): um token USB do stock não pode ser aberto aqui. Contacte o suporte.
visit-holder-pin-not-set = O certificado está no token USB e em vigor, mas não foi possível definir o PIN da pessoa: o token ainda tem o PIN do stock. Altere o PIN agora (kiosk token change-pin) antes de o token USB sair do balcão.
visit-no-token-module-or-pkcs12 = Este balcão não tem módulo de token configurado (token_module): o certificado não pode ser gravado num token USB. Este certificado pode, em vez disso, ir para um ficheiro PKCS#12 (F5).
visit-plug-a-blank-token-or-pkcs12 = Ligue um token USB em branco do stock, ou prima F5 para emitir este certificado num ficheiro PKCS#12.
visit-pkcs12-new-only = Só um certificado novo pode ir para um ficheiro PKCS#12: uma renovação, uma alteração ou uma segunda via ficam num token USB.
visit-pkcs12-file-exists = { $file } já existe: um ficheiro PKCS#12 nunca é substituído. Indique outro caminho.
visit-nothing-to-issue = Todos os certificados deste pedido já foram emitidos.
visit-issuing-elsewhere = O certificado digital deste pedido está a ser emitido no balcão { $kiosk } desde { $since }: deixe-o terminar lá. Se esse balcão parou, a emissão pode ser retomada aqui um quarto de hora depois de ter começado.
visit-email-not-on-visit = Este endereço não é um dos endereços de correio electrónico dos certificados deste atendimento.

visit-certificate-not-theirs = Esse certificado não é um dos certificados válidos desta pessoa.
visit-choose-a-certificate = Escolha pelo menos um certificado (Space ou F4 marca o realçado).
visit-no-serial = O certificado ainda não tem número de série: nunca foi emitido.
visit-not-approved-yet = O pedido ainda não foi verificado e aprovado.
visit-renewal-certificates-fixed = Uma renovação renova todos os certificados a renovar; não podem ser escolhidos.
visit-revocation-phrase-wrong = A frase de revogação não corresponde. Deixe-a vazia para que um supervisor aprove.
visit-so-pin-needed = O SO PIN do balcão não está definido neste quiosque (KIOSK_SO_PIN): o PIN não pode ser reposto aqui.
visit-address-required = Escreva o novo endereço postal.
visit-not-their-organisation = A pessoa não actua por essa entidade: abra a ficha de quem actua.
visit-document-missing = Falta um documento: { visit-document-name }.
visit-plug-a-blank-token = Ligue um token USB em branco do stock.
visit-no-profile = Não há perfil de certificado para esta classe e titular.
visit-one-blank-token = { $count ->
    [1] Há 1 token USB em branco ligado
   *[other] Há { $count } tokens USB em branco ligados
}: deixe só o deste certificado.
visit-invoice-organisation-only = Os dados da factura são para o pedido de uma entidade.
visit-chip-failed-read-chip = O chip deste documento falhou a verificação da assinatura: leia o chip de novo, ou um supervisor decide (F6).
visit-cancel-too-late = Já está feito (emitido, revogado ou reposto): o pedido já não pode ser cancelado.
visit-choose-one-certificate = Escolha um certificado: muda-se, substitui-se ou desbloqueia-se um token USB de cada vez.
visit-certificates-of-one-holder = Os certificados de um atendimento têm de ser todos da pessoa, ou todos de uma entidade.
visit-change-keeps-holder-and-class = Uma alteração de dados mantém o titular e a classe do certificado; para outros, peça um certificado novo.

# Os nomes que uma recusa dá como argumento (um documento, um passo, porque é que a impressora
# não imprimiu), escolhidos pelo identificador que o quiosque passa.
visit-document-name = { $document ->
    [signed_application_form] { visit-doc-signed-form }
    [seal_sample_form] { visit-doc-seal-sample }
    [business_licence] { visit-doc-business-licence }
    [legal_representative_id] { visit-doc-legal-representative-id }
    [agent_id] { visit-doc-agent-id }
    [applicant_id] { visit-doc-applicant-id }
   *[other] { $document }
}
visit-step-name = { $current ->
    [certificates] { visit-step-certificates }
    [identity] { visit-step-identity }
    [email] { visit-step-email }
    [consent] { visit-step-consent }
    [photo] { visit-step-photo }
    [details] { visit-step-details }
    [documents] { visit-step-documents }
    [confirmation] { visit-step-confirmation }
    [payment] { visit-step-payment }
    [form] { visit-step-form }
    [approval] { visit-step-approval }
    [recheck] { visit-step-recheck }
    [issuance] { visit-step-issuance }
    [pin_reset] { visit-step-pin-reset }
    [revocation] { visit-step-revocation }
    [address] { visit-step-address }
    [completion] { visit-step-completion }
   *[other] { $current }
}
visit-print-reason = { $reason ->
    [print-error-bad-uri] o endereço da impressora nas definições não pode ser usado
    [print-error-unreachable] não se consegue contactar a impressora
    [print-error-connection-lost] a ligação à impressora foi interrompida
    [print-error-timeout] a impressora não respondeu a tempo
    [print-error-not-found] essa impressora não existe
    [print-error-not-accepting] a impressora não está a aceitar documentos
    [print-error-stopped] a impressora está desligada ou em pausa
    [print-error-busy] a impressora está ocupada
    [print-error-document-refused] a impressora não consegue imprimir este documento
    [print-error-refused] a impressora recusou o documento
    [print-error-canceled] foi cancelado na impressora
    [print-error-aborted] a impressora deixou de o imprimir
    [print-error-protocol] não se percebeu a resposta da impressora
    [print-error-job-lost] a impressora já não conhece o documento
    [print-state-failed] a impressora não o imprimiu
    [print-state-cancelled] foi cancelado na fila de impressão
    [print-state-expired] esperou demasiado tempo na fila de impressão
   *[other] a impressora não o imprimiu
}
visit-organisation-visit-open = A entidade já tem este serviço em curso, com a referência { $reference }, aberto por outro encarregado do pedido: retome esse a partir da fila.
visit-form-already-submitted = O formulário assinado já foi lido e o pedido submetido: não há nada a imprimir nem a ler de novo. (Se os dados da pessoa mudarem, a nova verificação devolve-o para ser assinado de novo.)
