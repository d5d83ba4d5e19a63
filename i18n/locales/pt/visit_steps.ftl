# The counter's visit steps (kiosk::visits): what a step that cannot go on says.

visit-no-application = Este pedido não consta dos registos da entidade.
visit-no-applicant = O registo do requerente não foi encontrado.
visit-renewal-none-due = Esta pessoa não tem nenhum certificado digital para renovação (a renovação abre 30 dias antes de expirar).
visit-no-certificates = Esta pessoa não tem nenhum certificado digital em vigor para este serviço.
visit-step-not-open = Este passo ainda não pode ser dado: o atendimento está num passo anterior ({ $current }).
visit-supervisor-own-action = Um supervisor nunca aprova a sua própria acção: outro supervisor tem de iniciar sessão.
visit-supervisor-required = Só um supervisor activo pode fazer isto: um supervisor tem de iniciar sessão.
visit-reason-required = Escreva o motivo: fica guardado com o pedido.
visit-skip-never = Este passo nunca é dispensado.
visit-skip-supervisor-only = Só um supervisor pode dispensar este passo.
visit-skip-not-in-plan = Este passo não faz parte deste serviço.
visit-identity-nothing-to-override = A verificação da identidade não falhou: não há nada a aprovar.
visit-form-key-missing = Este balcão não tem a chave dos formulários: não foi ele que imprimiu este formulário. Leia-o no balcão da entidade que o imprimiu.
visit-form-print-failed = O formulário não foi impresso (trabalho { $job }): { $reason }. Verifique a impressora e imprima de novo.
visit-receipt-print-failed = O pagamento está registado, mas o recibo não foi impresso (trabalho { $job }): { $reason }. Imprima-o de novo a partir da fila de impressão: kiosk print queue.
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
visit-document-missing = Falta um documento: { $document }.
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
