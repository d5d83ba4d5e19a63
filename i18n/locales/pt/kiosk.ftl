app-title = Balcão de registo
key-quit = sair
key-language = idioma

error-failed = O balcão não conseguiu concluir: { $detail }
error-not-a-terminal = O ecrã do balcão precisa de um terminal. Execute-o numa janela de terminal ou use um subcomando (kiosk --help).

id-kind-cn-resident = Bilhete de Identidade de Residente do Interior da China
id-kind-uscc = Código Unificado de Crédito Social
id-kind-hk = Bilhete de Identidade de Hong Kong
id-kind-mo = Bilhete de Identidade de Residente de Macau
id-check-invalid = Não é um { $kind } válido: { $reason }

mrz-not-an-mrz = Isto não é uma zona de leitura automática (ZLA): { $detail }
mrz-input-too-long = o texto é muito mais longo do que qualquer ZLA
mrz-input-not-text = o conteúdo não é texto
mrz-check-failed = A ZLA foi lida, mas estes campos não coincidem com o seu dígito de controlo ou têm um valor impossível: { $fields }. Digitalize-a de novo ou verifique o documento.

# Nomes dos campos da zona de leitura automática (ZLA) que mrz-check-failed enumera.
mrz-field-document_number = número do documento
mrz-field-birth_date = data de nascimento
mrz-field-expiry_date = data de validade
mrz-field-optional_data = dados facultativos
mrz-field-composite = dígito de controlo composto
mrz-field-sex = sexo

record-kind-person = pessoa
record-kind-organisation = entidade
record-kind-membership = membro da entidade
record-kind-authorisation = autorização
record-kind-certificate = certificado
record-kind-token = token USB
record-kind-seal = carimbo
record-kind-application = pedido
record-kind-appointment = marcação
record-kind-walk_in_ticket = senha de atendimento
record-kind-clerk = funcionário
record-kind-audit_event = evento de auditoria

search-no-hits = Ninguém encontrado. Experimente parte do nome, o número do documento, o telefone ou o número de série de um certificado.

store-verified = A base de dados está íntegra: { $records ->
        [1] 1 registo coincide
       *[other] { $records } registos coincidem
    } com { $events ->
        [1] 1 alteração
       *[other] { $events } alterações
    }.
store-inconsistent = { $count ->
        [1] 1 registo não coincide com o seu histórico de alterações.
       *[other] { $count } registos não coincidem com o seu histórico de alterações.
    } Execute «kiosk store rebuild» e contacte o apoio técnico.
store-rebuilt = Reconstruídos { $records ->
        [1] 1 registo
       *[other] { $records } registos
    } a partir de { $events ->
        [1] 1 alteração
       *[other] { $events } alterações
    }.

demo-store-not-empty = A base de dados já tem registos. Use --force para acrescentar mesmo assim o posto de demonstração (o pessoal de demonstração recebe então senhas novas, mostradas uma vez), ou indique outro --data-dir.
demo-provisioned = Posto de demonstração pronto: { $records ->
        [1] 1 registo
       *[other] { $records } registos
    } em { $dir }.
demo-credentials-header = Credenciais de acesso (mostradas uma só vez; tome nota): utilizador, palavra-passe, função e o endereço dos códigos de uso único a ler ou introduzir na aplicação de autenticação:

role-clerk = funcionário de balcão
role-supervisor = supervisor

service-new_issuance = Novo certificado
service-renewal = Renovação
service-change = Alteração de dados
service-replacement = Segunda via
service-pin_unlock = Desbloqueio do PIN
service-revocation = Revogação
service-redispatch = Reenvio por correio

application-state-draft = Rascunho
application-state-under_review = Documentos em análise
application-state-awaiting_approval = A aguardar aprovação do supervisor
application-state-awaiting_payment = A aguardar pagamento
application-state-awaiting_fulfilment = A aguardar instalação ou envio
application-state-completed = Concluído
application-state-rejected = Recusado
application-state-cancelled = Cancelado

# Passos de um pedido, como substantivos: transition-not-allowed cita-os.
application-action-submit = submissão para análise
application-action-return_for_correction = devolução para correcção
application-action-require_revetting = devolução para nova verificação
application-action-pass_vetting = aprovação na análise
application-action-approve = aprovação do supervisor
application-action-record_payment = registo do pagamento
application-action-complete = conclusão
application-action-reject = recusa
application-action-cancel = cancelamento

message-consent = Concordo e aceito o acordo e a declaração de recolha de dados pessoais
message-agreement = Concordo e aceito o acordo e a declaração do requerente / titular
message-renewal-submitted = O pedido de renovação do certificado foi confirmado e submetido com sucesso.
message-activated = Activado com sucesso.
message-unsupported-document = Tipo de documento de identificação não suportado.
message-document-data-differs = Dados pessoais do documento de identificação inválidos.
message-photo-rejected = A fotografia não cumpre os requisitos. Tire-a novamente, por favor.
message-revoke-first = É necessário revogar primeiro o certificado original.

error-store = Não foi possível usar a base de dados local: { $detail }. Nada ficou escrito a meio; tente de novo e, se persistir, execute «kiosk store verify» e contacte o apoio técnico.
error-store-newer = Este directório de dados foi escrito por uma versão mais recente do balcão ({ $detail }). Actualize este balcão; os dados não foram alterados.
error-invalid-record = O registo não foi guardado porque: { $detail }
error-data-dir = Não é possível usar o directório de dados { $dir } ({ $detail }). Verifique se existe e pode ser escrito, ou escolha outro com --data-dir.
