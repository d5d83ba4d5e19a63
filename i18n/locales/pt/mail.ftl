# The email outbox and the 6-digit email verification codes (kiosk::mail, kiosk mail …).

mail-code-subject = Código de verificação do correio electrónico do pedido { $reference }
mail-code-body-code = O seu código de verificação do correio electrónico é: { $code }
mail-code-body-validity = Indique-o ao funcionário do balcão. É válido durante { $minutes ->
        [1] { $minutes } minuto
       *[other] { $minutes } minutos
    }, até às { $until }, e apenas para o pedido { $reference }.
mail-code-body-ignore = Se não se encontra agora num balcão de registo de { $office }, ignore esta mensagem: nada é feito sem o código.

mail-code-sent = Foi enviado um código de verificação, válido durante 10 minutos.
mail-code-queued-unreachable = Não é possível contactar o servidor de correio: o código fica na caixa de saída e é enviado quando o servidor voltar.
mail-code-queued-refused = O servidor de correio recusou a mensagem por agora: o código fica na caixa de saída e será enviado de novo.
mail-code-queued-not-configured = Não está configurado nenhum servidor de correio (mail_relay em kiosk.toml): o código fica na caixa de saída.

mail-code-wrong = Código errado. { $tries_left ->
        [0] Não restam tentativas: envie um novo código.
        [1] Resta { $tries_left } tentativa.
       *[other] Restam { $tries_left } tentativas.
    }
mail-code-expired = Este código expirou (os códigos são válidos durante 10 minutos): envie um novo código.
mail-code-none-sent = Não foi enviado nenhum código para este endereço neste pedido: envie um primeiro.
mail-code-used-up = Este código já não pode ser usado: envie um novo código.
mail-code-store-failed = Não foi possível verificar o código: a base de dados falhou ({ $detail }).

mail-error-no-application = Não existe nenhum pedido com este número na base de dados.
mail-error-bad-address = Este endereço de correio electrónico não pode receber um código.
mail-error-store = Não foi possível guardar o código: a base de dados falhou ({ $detail }).

mail-reason-unreachable = não é possível contactar o servidor de correio
mail-reason-refused = o servidor de correio recusou-a
mail-reason-not-configured = não está configurado nenhum servidor de correio
mail-reason-expired = o seu código expirou antes de poder ser enviado
mail-reason-replaced = foi substituída por um código mais recente
mail-reason-bad-address = o endereço não pode ser usado

mail-state-waiting = em espera
mail-state-sent = enviada
mail-state-given-up = abandonada
mail-queue-empty = A caixa de saída está vazia.
mail-queue-title = Mensagem  Destinatário  Assunto  Estado  Tentativas
mail-queue-next-try = próxima tentativa às { $at }
mail-send-none-due = Nenhuma mensagem está por enviar agora.
mail-send-sent = { $count ->
        [1] { $count } mensagem enviada.
       *[other] { $count } mensagens enviadas.
    }
mail-send-waiting = { $count ->
        [1] { $count } mensagem continua na caixa de saída: { $reason }.
       *[other] { $count } mensagens continuam na caixa de saída: { $reason }.
    }
mail-send-given-up = { $count ->
        [1] { $count } mensagem foi abandonada: o seu código expirou ou foi substituído.
       *[other] { $count } mensagens foram abandonadas: os seus códigos expiraram ou foram substituídos.
    }

config-error-mail-relay = A definição { $setting } é "{ $value }", que não é o endereço de um servidor de correio. Escreva-o como smtp://relay.example.mo:25, smtps://relay.example.mo:465 ou smtp://relay.example.mo:587?tls=required.
config-error-mail-from = A definição { $setting } é "{ $value }", que não é um endereço de remetente. Escreva-o como counter@example.mo; é necessário quando mail_relay está definido.
