# Os ecrãs da aplicação do balcão: teclas, barra de estado, entrada, fila, pesquisa, primeiro arranque.

ui-too-small = Esta janela tem { $width }×{ $height }. O balcão precisa de pelo menos { $min_width }×{ $min_height }: aumente a janela.

key-help = ajuda
key-back = voltar
key-search = pesquisar
key-lock = bloquear o ecrã
key-up = linha anterior
key-down = linha seguinte
key-page-up = página anterior
key-page-down = página seguinte
key-submit = confirmar
key-open = abrir
key-next-tab = lista seguinte
key-prev-tab = lista anterior
key-refresh = actualizar
key-walk-in = senha sem marcação
key-check-in-camera = registar chegada pela câmara
key-start-visit = iniciar o atendimento
key-stop-camera = parar a câmara
key-sign-out = terminar a sessão
key-create-demo = criar o balcão de demonstração
key-continue = continuar
key-close = fechar
key-yes-quit = sim, sair
key-no-stay = não, ficar

help-title = Teclas deste ecrã
help-coming = chega com os assistentes de atendimento
notice-not-yet = Isto chega com os assistentes de atendimento; por agora use os comandos do kiosk.

quit-title = Sair?
quit-visit-in-progress = Há um atendimento em curso. Sair mesmo assim? O que foi guardado fica guardado.

status-reader = Leitor
status-token = Token
status-printer = Impressora
status-camera = Câmara
status-sync = Sincronização
status-unknown = …
status-not-configured = não configurado
status-unavailable = indisponível
status-reader-no-service = sem serviço PC/SC
status-reader-none = nenhum
status-reader-empty = sem cartão
status-reader-card = cartão inserido
status-tokens = { $count ->
        [1] { $count } token USB
       *[other] { $count } tokens USB
    }
status-printer-queue = { $waiting } em espera
status-printer-failed = { $waiting } em espera, { $failed } falhados
status-camera-none = nenhuma
status-camera-present = pronta
status-sync-syncing = a sincronizar…
status-sync-online = em linha
status-sync-online-waiting = { $count ->
        [1] em linha, { $count } evento por enviar
       *[other] em linha, { $count } eventos por enviar
    }
status-sync-offline = { $count ->
        [0] sem ligação desde as { $since }
        [1] sem ligação desde as { $since }, { $count } evento em espera
       *[other] sem ligação desde as { $since }, { $count } eventos em espera
    }

first-start-title = Bem-vindo
first-start-empty = O directório de dados deste kiosk está vazio: ainda não há aqui nenhum balcão.
first-start-offer = Criar o balcão de demonstração para experimentar? Enter: sim. Esc: sair.
first-start-creating = A criar o balcão de demonstração…
first-start-created = O balcão de demonstração está pronto. Estas credenciais só são mostradas uma vez: anote-as e adicione os URI dos códigos de uso único a uma aplicação autenticadora.
first-start-write-down = Prima Enter para entrar.

signin-title = Entrar
signin-id = Identificação do funcionário
signin-password = Palavra-passe
signin-code = Código de uso único
signin-hint-id = Escreva a sua identificação e prima Enter.
signin-hint-password = Escreva a palavra-passe e prima Enter. Esc recomeça.
signin-hint-code = Escreva o código de 6 algarismos da aplicação autenticadora e prima Enter.
signin-checking = A verificar…
signin-code-six-digits = O código de uso único tem 6 algarismos.
signin-clock-off = { $minutes ->
        [1] O relógio deste kiosk difere { $minutes } minuto do do registo. A entrada continua a funcionar; peça ao suporte que acerte o relógio.
       *[other] O relógio deste kiosk difere { $minutes } minutos do do registo. A entrada continua a funcionar; peça ao suporte que acerte o relógio.
    }

signin-signed-out = Sessão terminada. O funcionário seguinte entra aqui.

lock-title = Ecrã bloqueado
lock-who = Bloqueado enquanto { $name } tinha a sessão aberta. { $name } ou um supervisor pode desbloqueá-lo.
lock-not-yours = Só o funcionário que bloqueou este ecrã ou um supervisor o pode desbloquear.

queue-tab-appointments = Marcações
queue-tab-walk-ins = Sem marcação
queue-tab-renewals = Renovação devida
queue-tab-approvals = Para aprovação
queue-loading = A carregar a fila de hoje…
queue-no-appointments = Não há marcações hoje.
queue-no-walk-ins = Ainda não foram emitidas senhas hoje. Prima W para emitir uma.
queue-no-renewals = Nenhum certificado digital precisa de renovação.
queue-no-approvals = Nada espera por um supervisor.
queue-col-slot = Hora
queue-col-name = Nome
queue-col-service = Serviço
queue-col-status = Estado
queue-col-ticket = Senha
queue-col-issued = Emitida
queue-col-class = Classe
queue-col-serial = Número de série
queue-col-days-left = Expira
queue-col-reference = Referência
queue-col-submitted-by = Submetido por
queue-tab-conflicts = Conflitos
queue-no-conflicts = Não há conflitos.
queue-col-conflict = Conflito
queue-col-record-kind = Registo
queue-col-record = Identificador
queue-conflict-id-number = Mesmo documento
queue-conflict-token-serial = Mesmo n.º de série
queue-conflict-person = pessoa
queue-conflict-token = token USB
queue-days = { $count ->
        [1] dentro de { $count } dia
       *[other] dentro de { $count } dias
    }
queue-sign-in-first = Foi lido um comprovativo, mas ninguém tem sessão aberta. Entre e leia-o de novo.
queue-scan-not-a-pass = O código lido não é um comprovativo de marcação; nada foi feito.
queue-checking-in = A verificar o comprovativo…
queue-checked-in = Chegada de { $name } registada.
queue-camera-looking = À procura de um comprovativo em frente da câmara…
queue-camera-cancelled = A câmara deixou de procurar o comprovativo.
queue-issuing-ticket = A emitir a senha…

appointment-status-booked = marcada
appointment-status-checked-in = chegou
appointment-status-served = atendida
appointment-status-no-show = faltou
appointment-status-cancelled = cancelada
ticket-status-waiting = em espera
ticket-status-called = chamada
ticket-status-served = atendida
ticket-status-left = saiu
certificate-class-qualified = qualificado
certificate-class-standard = normal
certificate-class-encryption = cifra
certificate-class-cloud-sign = assinatura na nuvem

walk-in-pick-service = Senha para que serviço?
walk-in-ticket-title = Senha sem marcação
walk-in-no-printer = Não há impressora configurada: diga o número à pessoa.

search-title = Pesquisa
search-label = Nome, número de identificação, telefone ou número de série do certificado
search-hint = Escreva parte de um nome (chinês ou latino), um número de identificação, um telefone ou o número de série de um certificado digital. Os resultados acompanham o que escreve.
search-searching = A pesquisar…
search-col-name-zh = Nome chinês
search-col-name-latin = Nome
search-col-number = N.º identificação
search-col-phone = Telefone
search-col-matched = Por
search-matched-id-number = identificação
search-matched-serial = série
search-matched-phone = telefone
search-matched-name = nome

ui-job-failed = Algo correu mal; nada ficou feito a meio. Tente de novo e, se voltar a acontecer, contacte o suporte.
counter-no-pass-key = Este kiosk não tem a chave dos comprovativos de marcação (keys/pass.key) e não os pode verificar. Peça ao operador que instale a chave do balcão.
counter-pass-key-unreadable = Não foi possível ler a chave dos comprovativos de marcação ({ $detail }). Peça ao operador que verifique keys/pass.key.
