# Tokens USB, a AC do posto e a emissão (kiosk token …, kiosk ca …).

token-error-module = Não foi possível carregar o software do token USB { $path } ({ $detail }). Verifique o caminho do módulo PKCS#11 ou se o software do fabricante do token USB está instalado.
token-error-no-token = Não está ligado nenhum token USB com a etiqueta «{ $label }». Ligue o token USB ou verifique a etiqueta com «kiosk token list».
token-error-label-too-long = A etiqueta «{ $label }» não pode ser usada: uma etiqueta tem de 1 a 32 bytes (cerca de 10 caracteres chineses).
token-error-wrong-pin = PIN errado. Tentativas restantes antes de o token USB ficar bloqueado: { $tries }.
token-error-locked = O token USB ficou bloqueado após demasiadas tentativas com PIN errado. Confirme a identidade do titular e depois desbloqueie-o com o SO PIN (PIN de administrador).
token-error-wrong-so-pin = SO PIN (PIN de administrador) errado. O token USB não foi desbloqueado.
token-error-wrong-ca-pin = PIN errado para o token da AC. Nada foi assinado.
token-error-wrong-stock-pin = O PIN do stock (KIOSK_STOCK_PIN) não abre este token USB em branco. Nada foi emitido nem contado contra o token; confira o KIOSK_STOCK_PIN deste balcão com o PIN com que o stock foi inicializado.
token-error-lost = Este token USB foi dado como perdido. Nunca é desbloqueado nem reemitido: trate de uma segunda via num token USB novo.
token-error-not-usable = Este token USB está registado como «{ $status }» e não pode ser usado. Retire um token USB novo do stock.
token-error-pin-rules = O novo PIN não é aceitável: { $detail }
token-error-no-certificate = O token USB não contém nenhum certificado emitido por este posto.
token-error-no-key = A chave privada do certificado não está no token USB.
token-error-verification = Uma verificação do token USB ou do certificado falhou ({ $detail }). Tente de novo; se voltar a falhar, contacte o apoio técnico.
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
token-error-pin-tries = pin_tries é { $found }, mas um token USB tem de admitir pelo menos { $min } PIN errados antes de bloquear, senão um só engano bloquearia o titular. Defina pin_tries como { $min } ou mais em kiosk.toml (ou KIOSK_PIN_TRIES).
token-error-not-delivered = O certificado digital { $serial } não chegou ao titular ({ $detail }). Foi revogado e não está em vigor; emita-o de novo.
token-error-revocation-pending = A emissão falhou ({ $detail }) e o certificado digital { $serial } ainda não foi revogado: a base de dados não registou a revogação ({ $reason }). O certificado fica suspenso, sem vigor, e é revogado da próxima vez que um comando de token USB consiga escrever na base de dados. Verifique o disco e a pasta de dados e depois execute «kiosk token list».
token-interrupted-revoked = O certificado digital { $serial } nunca chegou ao titular (a emissão foi interrompida) e foi agora revogado.
token-interrupted-pending = O certificado digital { $serial } nunca chegou ao titular e ainda não foi revogado: { $detail }

## Nomes de titular: o que uma AC pode assinar (limites da RFC 5280, sem caracteres de controlo nem invisíveis).

subject-error-syntax = «{ $part }» não tem a forma ATRIBUTO=valor (por exemplo CN=Chan Tai Man).
subject-error-unknown-attribute = O atributo { $name } não se usa em nomes de titular. Use CN, OU, O, L, ST, C ou serialNumber.
subject-error-twice = { $attribute } aparece duas vezes. Um nome de titular tem cada atributo uma só vez.
subject-error-empty = { $attribute } está vazio.
subject-error-cn-required = É obrigatório o CN, o nome do titular.
subject-error-too-long = { $attribute } tem { $length } caracteres, mas um certificado digital admite no máximo { $max } (RFC 5280). Abrevie-o ou use a forma abreviada que consta do registo.
subject-error-control = { $attribute } contém o carácter de controlo { $character } (carácter { $position }). Quebras de linha, tabulações e outros caracteres de controlo não podem fazer parte de um nome num certificado digital: escreva-o de novo.
subject-error-invisible = { $attribute } contém o carácter invisível { $character } (carácter { $position }). Os caracteres de largura zero e de direcção do texto fazem um nome aparecer como outro, pelo que um certificado digital não os pode conter: escreva-o de novo.
subject-error-bad-escape = «{ $escape }» em { $attribute } não é uma sequência de escape válida. Depois de uma barra invertida escreva dois algarismos hexadecimais, ou um dos caracteres , + " \ < > ; = # / ou um espaço.
subject-error-not-utf8 = As sequências de escape hexadecimais em { $attribute } não formam texto UTF-8.
subject-error-country = C tem de ser duas letras maiúsculas (MO, CN), não «{ $value }».
subject-error-not-printable = { $attribute } só pode conter as letras A–Z e a–z, algarismos, espaços e ' ( ) + , - . / : = ?, não { $character } (carácter { $position }).
subject-error-organisation-required = Um certificado digital { $profile } exige O, o nome da entidade.
subject-error-country-required = Um certificado digital { $profile } exige C, o país (MO ou CN).
subject-error-unreadable = Não foi possível ler um atributo do nome do titular do certificado digital ({ $detail }).
