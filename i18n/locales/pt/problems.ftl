problem-required = Campo obrigatório.
problem-invalid-id-number = Este número não é válido para o tipo de documento.
problem-invalid-country = Use o código de país de três letras do documento (ex.: CHN, PRT, MAC).
problem-invalid-phone = Um número de telefone tem entre 6 e 15 algarismos.
problem-invalid-email = Este endereço de correio electrónico está incompleto (nome@domínio).
problem-date-order = A data de fim tem de ser posterior à data de início.
problem-invalid-uscc = Este Código Unificado de Crédito Social não é válido: verifique os 18 caracteres.
problem-title-not-organisation = O titular da factura tem de ser exactamente o nome registado da entidade.
problem-invalid-taxpayer-id = O número de contribuinte tem 15, 18 ou 20 letras e algarismos.
problem-validity-years = Os certificados são válidos de 1 a 5 anos.
problem-invalid-serial = O número de série de um certificado é hexadecimal (0–9, A–F), com até 40 algarismos.
problem-invalid-username = O nome de utilizador tem até 32 letras, algarismos, pontos ou sublinhados.
problem-invalid-totp-secret = O segredo dos códigos de uso único não é base32 de pelo menos 16 bytes.
problem-invalid-totp-period = O período dos códigos de uso único tem de ser de 15 a 300 segundos.
problem-cloud-sign-not-at-counter = Os certificados de assinatura na nuvem só são activados online, não no balcão.
problem-no-certificates = Escolha os certificados a que este pedido se refere.
problem-organisation-required = Escolha a entidade a que este certificado pertence.
problem-change-not-allowed = Isto já não pode ser alterado.

transition-not-allowed = O passo «{ $action }» não é possível num pedido no estado «{ $state }».
transition-finished = Este pedido está no estado «{ $state }» e já não pode ser alterado.
transition-incomplete = O pedido ainda não está completo: { $problems }
transition-supervisor-required = Só um supervisor pode fazer isto.
transition-same-approver = É necessária uma segunda pessoa: um supervisor não pode aprovar o que ele próprio submeteu.
transition-wrong-amount = O pagamento de { $paid } não corresponde à taxa de { $expected }.
transition-reason-required = Indique o motivo da recusa.
transition-negative-fee = Uma taxa não pode ser negativa ({ $fee }).

lifecycle-already-revoked = Este certificado já foi revogado. A revogação não pode ser desfeita.
lifecycle-not-issued = Este certificado ainda não foi emitido.
lifecycle-token-lost = Este token USB foi dado como perdido, pelo que não pode ser desbloqueado nem reemitido: trate de uma segunda via.
lifecycle-token-not-in-use = Este token USB não está em uso.
lifecycle-token-transition = Este token USB não pode passar para esse estado.

fee-validity-years = Os certificados são emitidos por 1 a 5 anos.
fee-not-at-counter = Os certificados de assinatura na nuvem não são tratados no balcão.
fee-no-price = Este posto não tem preço para esse tipo de certificado.

# The store's faults, as `kiosk store verify` and `kiosk store rebuild` list them, one a record.
store-fault-differs = O conteúdo guardado ou as entradas de pesquisa não coincidem com as alterações; «kiosk store rebuild» corrige-o.
store-fault-creation-lost = Falta no histórico a alteração que criou este registo; a reconstrução não o pode refazer e mantém-no como está.
store-fault-events-lost = Faltam no histórico alterações de que este registo foi feito; a reconstrução mantém-no como está.
store-fault-no-events = Nenhuma alteração deste registo está no histórico; a reconstrução mantém-no como está.
store-fault-undecodable = As alterações deste registo não formam um registo completo do seu tipo; a reconstrução mantém-no como está.
store-rebuild-kept = { $count ->
        [1] { $count } registo não pôde ser reconstruído a partir das suas alterações e foi mantido como estava.
       *[other] { $count } registos não puderam ser reconstruídos a partir das suas alterações e foram mantidos como estavam.
    } Recupere as alterações em falta a partir do sistema central ou de uma cópia de segurança e contacte o apoio técnico.
store-awaiting-creation = { $count ->
        [1] { $count } registo aguarda que a sua criação chegue de outro balcão.
       *[other] { $count } registos aguardam que a sua criação chegue de outro balcão.
    }
