# Visits at the counter: the services' step plans.

visit-cloud-sign-online-only = Os certificados de assinatura na nuvem só são activados em linha; não são tratados no balcão.

# The identity check (seed 000's two messages, and a chip that fails its signatures).
visit-identity-unsupported-document = Tipo de documento de identificação não suportado.
visit-identity-invalid-data = Dados pessoais do documento de identificação inválidos.
visit-identity-chip-not-authentic = O chip do documento falhou a verificação da assinatura: pode ser falsificado. Não o aceite sem um supervisor.
visit-field-document-number = número do documento
visit-field-name = nome
visit-field-birth-date = data de nascimento
visit-field-expiry = o documento expirou

# The re-check before activation (seed 000, step 6).
visit-recheck-no-longer-due = O certificado { $serial } já não está para renovação (revogado, expirado ou já renovado).
visit-recheck-revetting-required = Os dados de identificação mudaram desde a verificação: o pedido volta à verificação, a partir da identificação. O que foi pago continua pago.
visit-recheck-revoke-first = Os dados do certificado mudaram e o certificado { $serial } ainda é válido: tem de ser revogado primeiro.
visit-recheck-no-form = O formulário de pedido ainda não foi impresso.

# Passwords and the revocation phrase (seed 000, activation).
visit-password-length = pelo menos 8 caracteres
visit-password-letter = pelo menos uma letra (a–z, maiúscula ou minúscula)
visit-password-non-letter = pelo menos um carácter que não seja letra (um algarismo ou um símbolo)
visit-phrase-too-short = A frase de revogação precisa de pelo menos 4 caracteres.
visit-phrase-same-as-pin = A frase de revogação não pode ser o PIN.
