# A ficha do titular: uma pessoa ou entidade e tudo o que consta dela.

file-title = Ficha do titular
file-loading = A abrir a ficha…
file-not-found = Este registo não está na base de dados deste kiosk (talvez ainda não tenha sido sincronizado).
file-identity = Identidade e documentos
file-doc-macau-resident = Bilhete de Identidade de Residente de Macau
file-doc-mainland-resident = Bilhete de Identidade de Residente do Interior da China
file-doc-hong-kong-resident = Bilhete de Identidade de Hong Kong
file-doc-passport = Passaporte
file-doc-residence-permit = Autorização de residência
file-doc-expiry = Documento válido até
file-nationality = Nacionalidade
file-birth-date = Data de nascimento
file-phone = Telefone
file-email = Correio electrónico
file-registration = Número de registo
file-licence-until = Licença válida até
file-address = Morada
file-organisations = Entidades e funções
file-role-administrator = administrador
file-role-legal-representative = representante legal
file-role-employee = trabalhador
file-ended = terminou em { $date }
file-in-force = em vigor
file-not-in-force = sem efeito
file-none = nenhum
file-certificates = Certificados digitais
file-cert-pending = pendente
file-cert-valid = válido
file-cert-suspended = suspenso
file-cert-revoked = revogado
file-cert-expired = expirado
file-days-left = { $count ->
        [1] expira dentro de { $count } dia
       *[other] expira dentro de { $count } dias
    }
file-days-ago = { $count ->
        [1] expirou há { $count } dia
       *[other] expirou há { $count } dias
    }
file-tokens = Tokens USB
file-seals = Selos
file-applications = Pedidos
file-actions = Serviços
file-timeline = Histórico
file-operator = operador
file-timeline-more = As entradas mais antigas não são mostradas.

audit-record-created = criado
audit-record-updated = alterado
audit-application-transition = o pedido avançou
audit-clerk-signed-in = entrou
audit-clerk-sign-in-failed = entrada falhada
audit-clerk-locked = entrada bloqueada
audit-clerk-added = funcionário adicionado
audit-clerk-disabled = funcionário desactivado
audit-clerk-totp-reset = código de uso único reposto
audit-demo-provisioned = balcão de demonstração criado
audit-store-exported = base de dados exportada
audit-ca-initialised = entidade emissora criada
audit-ca-imported = entidade emissora importada
audit-crl-issued = lista de revogação emitida
audit-certificate-issued = certificado digital emitido
audit-certificate-renewed = certificado digital renovado
audit-certificate-changed = certificado digital alterado
audit-certificate-replaced = certificado digital substituído
audit-certificate-revoked = certificado digital revogado
audit-token-pin-changed = PIN do token USB alterado
audit-token-pin-failed = PIN do token USB errado
audit-token-locked = token USB bloqueado
audit-token-unlocked = token USB desbloqueado
audit-token-reported = token USB comunicado
audit-print-job-cancelled = impressão cancelada
audit-appointment-checked-in = chegada registada
audit-walk-in-ticket-issued = senha sem marcação emitida
audit-visit-step = passo do atendimento
audit-authorisation-granted = autorização concedida
audit-authorisation-changed = autorização alterada
audit-authorisation-withdrawn = autorização suspensa
audit-authorisation-restored = autorização retomada
audit-authorisation-ended = autorização revogada
audit-administrator-transferred = administrador transferido (carta assinada recebida)
audit-members-action-refused = alteração de membros recusada

photo-preparing = A preparar a fotografia…
walk-in-print-waiting = A senha espera pela impressora (trabalho { $job }): diga o número à pessoa.
