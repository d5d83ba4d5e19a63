# Mensagens de validação dos números de identificação (registry::ids), das zonas de leitura
# automática (registry::mrz) e das palavras-passe e PIN (registry::credentials).

## Números de identificação

id-error-empty = O número de identificação está vazio. Introduza o número tal como consta do documento.
id-error-wrong-length = O número de identificação tem { $found ->
        [1] 1 carácter
       *[other] { $found } caracteres
    }, mas deve ter { $expected }. Verifique se faltam ou sobram caracteres.
id-error-invalid-character = O carácter «{ $character }» na posição { $position } não é permitido nesse lugar. Verifique se há caracteres mal escritos, por exemplo a letra O em vez do algarismo 0.
id-error-bad-region = Os dois primeiros algarismos ({ $code }) não são um código de província do Interior da China. Confira o início do número com o documento.
id-error-bad-birth-date = Os algarismos 7 a 14 ({ $digits }) não formam uma data de nascimento válida. Confira a parte do número relativa à data de nascimento com o documento.
id-error-birth-date-in-future = Os algarismos 7 a 14 ({ $digits }) indicam uma data de nascimento futura. Confira a parte do número relativa à data de nascimento com o documento.
id-error-bad-check-character = O último carácter é «{ $found }», mas o resto do número exige «{ $expected }». Provavelmente há um carácter mal escrito: confira o número completo com o documento.
id-error-bad-prefix = O número do Bilhete de Identidade de Residente de Macau começa por 1, 5 ou 7, e não por «{ $found }». Verifique o primeiro algarismo e se o documento é um Bilhete de Identidade de Residente de Macau.
id-error-bad-hk-format = O número do Bilhete de Identidade de Hong Kong tem uma ou duas letras, seis algarismos e um dígito de controlo (0–9 ou A), por exemplo A123456(3). Verifique se faltam ou sobram caracteres.
id-error-bad-mo-format = O número do Bilhete de Identidade de Residente de Macau tem sete algarismos e um dígito de controlo, por exemplo 1234567(8). Verifique se faltam ou sobram algarismos.

## Zonas de leitura automática (ZLA)

mrz-error-empty = Não foi lida nenhuma zona de leitura automática (ZLA). Digitalize novamente o documento ou introduza as linhas da zona.
mrz-error-invalid-character = O carácter «{ $character }» (linha { $line }, posição { $position }) não pode constar de uma zona de leitura automática (ZLA), que só usa A–Z, 0–9 e <. Verifique se há caracteres mal lidos ou mal escritos.
mrz-error-wrong-line-count = Uma zona de leitura automática (ZLA) tem 2 ou 3 linhas, mas { $found ->
        [1] só foi lida 1
       *[other] foram lidas { $found }
    }. Verifique se foi digitalizada a zona completa e apenas ela.
mrz-error-wrong-length = Uma zona de leitura automática (ZLA) introduzida numa só linha tem 90, 72 ou 88 caracteres, mas esta tem { $found }. Verifique se faltam ou sobram caracteres.
mrz-error-wrong-line-lengths = As linhas têm { $lengths } caracteres, mas uma zona de leitura automática (ZLA) tem 3 linhas de 30, ou 2 linhas de 36 ou de 44. Verifique se faltam ou sobram caracteres.

## Palavras-passe e PIN

password-too-short = A palavra-passe é demasiado curta: use pelo menos 8 caracteres.
password-too-long = A palavra-passe é demasiado longa: use no máximo 16 caracteres.
password-needs-letter = A palavra-passe tem de conter pelo menos uma letra do alfabeto inglês (a–z, maiúscula ou minúscula).
password-needs-non-letter = A palavra-passe tem de conter pelo menos um carácter que não seja letra (algarismo ou símbolo).
password-needs-three-classes = A palavra-passe tem de conter pelo menos três destes tipos: maiúsculas, minúsculas, algarismos, símbolos.
pin-wrong-length = O PIN tem de ter exactamente 6 algarismos.
pin-not-digits = O PIN só pode conter os algarismos 0–9.

# A warning beside a valid number, never a refusal.
id-warning-implausible-age = Os algarismos 7 a 14 ({ $digits }) dão uma idade de { $age } anos. O número é válido, mas confira a parte da data de nascimento com o documento.
