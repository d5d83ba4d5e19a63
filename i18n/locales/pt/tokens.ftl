# Tokens USB, a AC do posto e a emissão (kiosk token …, kiosk ca …).

token-error-module = Não foi possível carregar o software do token USB { $path } ({ $detail }). Verifique o caminho do módulo PKCS#11 ou se o software do fabricante do token USB está instalado.
token-error-no-token = Não está ligado nenhum token USB com a etiqueta «{ $label }». Ligue o token USB ou verifique a etiqueta com «kiosk token list».
token-error-label-too-long = A etiqueta «{ $label }» não pode ser usada: uma etiqueta tem de 1 a 32 bytes (cerca de 10 caracteres chineses).
token-error-wrong-pin = PIN errado. Tentativas restantes antes de o token USB ficar bloqueado: { $tries }.
token-error-locked = O token USB ficou bloqueado após demasiadas tentativas com PIN errado. Confirme a identidade do titular e depois desbloqueie-o com o SO PIN (PIN de administrador).
token-error-wrong-so-pin = SO PIN (PIN de administrador) errado. O token USB não foi desbloqueado.
token-error-wrong-ca-pin = PIN errado para o token da AC. Nada foi assinado.
token-error-lost = Este token USB foi dado como perdido. Nunca é desbloqueado nem reemitido: trate de uma segunda via num token USB novo.
token-error-not-usable = Este token USB está registado como «{ $status }» e não pode ser usado. Retire um token USB novo do stock.
token-error-pin-rules = O novo PIN não é aceitável: { $detail }
token-error-no-certificate = O token USB não contém nenhum certificado emitido por este posto.
token-error-no-key = A chave privada do certificado não está no token USB.
token-error-verification = O certificado emitido não passou na verificação ({ $detail }). Foi revogado; emita-o de novo.
token-error-pkcs11 = O token USB recusou a operação ({ $detail }). Desligue-o, volte a ligá-lo e tente de novo.
token-error-certificate = Não foi possível gerar o certificado ({ $detail }).
token-error-subject = O nome do titular do certificado (subject) não é válido: { $detail }
token-error-unknown-profile = Não existe o tipo de certificado «{ $profile }». Use qualified-person, standard-person, encryption-person, qualified-organisation, standard-organisation, encryption-organisation, person-in-organisation ou legal-representative.
token-error-soft-not-allowed = Um certificado { $profile } tem de ser emitido num token USB; a sua chave não pode ser guardada num ficheiro.
token-error-key-type = O tipo de chave { $key } não pode ser usado aqui.
token-error-ca-not-configured = Este balcão ainda não tem AC do posto. Execute «kiosk ca init» (posto de demonstração ou de teste) ou «kiosk ca import» (com o certificado da AC central).
token-error-ca-exists = Este balcão já tem uma AC do posto. Nada foi alterado.
token-error-ca-key-mismatch = Nenhuma chave no token da AC corresponde ao certificado da AC do posto. Verifique o token e o ficheiro do certificado.
token-error-certificate-not-found = Não se conhece aqui nenhum certificado com o número de série { $serial }.

token-list-none = Não está ligado nenhum token USB.
token-list-label = Etiqueta
token-list-serial = N.º de série
token-list-model = Modelo
token-list-status = Estado
token-status-blank = vazio
token-status-issued = atribuído
token-status-lost = perdido
token-status-damaged = danificado
token-status-retired = retirado de uso
token-status-new = ainda não inventariado
token-status-uninitialised = não inicializado (execute «kiosk token init»)
token-status-locked = bloqueado (PIN errado)

revocation-reason-unspecified = não especificado
revocation-reason-key-compromise = comprometimento da chave
revocation-reason-affiliation-changed = alteração de afiliação
revocation-reason-superseded = substituído
revocation-reason-cessation-of-operation = cessação de actividade

ca-pin-prompt = PIN do token da AC:
ca-pin-needed = É necessário o PIN do token da AC: defina KIOSK_CA_PIN ou execute o comando num terminal para que o PIN lhe seja pedido.
ca-init-done = A AC do posto «{ $subject }» está pronta. A sua cadeia de certificados foi escrita em { $file }.
ca-import-done = A AC do posto «{ $subject }» foi importada; a sua chave está no token «{ $label }».
ca-request-done = O pedido de certificado da AC do posto foi escrito em { $file }. Envie-o à AC central e depois execute «kiosk ca import» com o certificado que ela devolver.
ca-crl-done = A lista de revogação foi escrita em { $file } (certificados revogados: { $count }).
token-unlocked = O token USB está desbloqueado e o novo PIN funciona. Devolva o token USB ao titular.
token-pin-changed = O PIN foi alterado.
token-revoked = O certificado { $serial } foi revogado ({ $reason }).
token-reported = O token USB { $serial } está agora registado como «{ $status }».
token-initialised = O token USB «{ $label }» está pronto (n.º de série { $serial }).
token-pkcs12-written = O certificado e a sua chave foram escritos em { $file }, protegidos pela palavra-passe. Entregue o ficheiro ao titular.
