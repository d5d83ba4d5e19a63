# Replicação com o concentrador do registo central: kiosk join, kiosk sync, kiosk audit verify (kiosk: sync_cmd, sync::net).
sync-local-failed = Não foi possível ler ou gravar os dados de replicação deste kiosk: { $detail }
sync-join-credentials = As credenciais em { $path } não podem ser usadas: { $detail }
sync-join-config-kiosk-id = O kiosk.toml chama a este kiosk { $configured }, mas as credenciais são do kiosk { $kiosk }. Retire kiosk_id do kiosk.toml (agora são as credenciais que dão o nome) e volte a aderir.
sync-join-bad-url = { $url } não é um endereço de concentrador: indique-o como wss://ANFITRIÃO:PORTA.
sync-join-already = Este kiosk já aderiu ao balcão { $office } como kiosk { $kiosk }. Um kiosk adere a um só balcão; use outro directório de dados para outro.
sync-join-store-in-use = Este directório de dados já contém { $count ->
    [1] 1 evento escrito
   *[other] { $count } eventos escritos
} como kiosk { $kiosk }, antes da adesão. Adira com um directório de dados vazio e traga depois os registos com kiosk import.
sync-joined = Aderiu ao balcão { $office } como kiosk { $kiosk }; o concentrador é { $hub }. Todos os registos feitos a partir de agora pertencem a esse balcão. Execute kiosk sync --once para sincronizar já.
sync-not-joined = Este kiosk não aderiu a nenhum concentrador: execute kiosk join --hub wss://ANFITRIÃO:PORTA --credentials FICHEIRO.
sync-unreachable = Não é possível contactar o concentrador ({ $detail }). Nada se perde: este kiosk continua a trabalhar e sincroniza quando o concentrador voltar.
sync-untrusted = O concentrador e este kiosk não confiam nos certificados um do outro ({ $detail }). A sincronização não funcionará enquanto isto não for corrigido: as credenciais não são da AC de infra-estrutura deste concentrador, ou o endereço é o de outro concentrador. Registe o kiosk neste concentrador (registry-hub enroll) e faça-o aderir com as novas credenciais.
sync-refused = O concentrador recusou a sincronização: { $reason } ({ $code }: { $detail })
sync-refused-wrong-identity = o nome deste kiosk não corresponde ao seu certificado
sync-refused-wrong-office = o documento pertence a outro balcão
sync-refused-central-read-only = só o registo central escreve o seu diário
sync-refused-not-your-event = um evento indica outro kiosk que não o que o envia
sync-refused-bad-signature = a assinatura de um evento não corresponde à chave deste kiosk
sync-refused-out-of-chain = um evento está fora da cadeia deste kiosk (em falta ou fora de ordem)
sync-refused-rewrites-event = foi alterado um evento que o concentrador já tinha
sync-refused-removes-event = foi apagado um evento de um diário
sync-refused-bad-entry = um evento de um diário não pode ser lido
sync-refused-bad-event = um evento que todos os balcões recusariam (um campo que não pode definir, um identificador ou relógio fora da sua forma escrita)
sync-refused-clock-ahead = um evento está datado de mais de um dia à frente do relógio do concentrador: verifique a data e a hora deste kiosk
sync-refused-bad-document = um diário ou manifesto não está na forma esperada
sync-refused-busy = outro processo do concentrador estava a gravar os eventos deste kiosk; resultará na próxima tentativa
sync-refused-hub-failed = a base de dados do concentrador falhou
sync-refused-malformed = uma mensagem chegou deturpada
sync-refused-protocol = o concentrador usa outra versão do protocolo
sync-refused-rounds = a sincronização não estabilizou
sync-refused-too-large = uma mensagem era demasiado grande
sync-refused-unavailable = o concentrador não conseguiu guardar o que foi enviado
sync-refused-other = o concentrador deu uma razão que este kiosk não conhece
sync-refused-hub = Este kiosk recusou o que o concentrador enviou ({ $code }: { $detail }).
sync-done = Sincronizado com o concentrador: { $up } eventos deste kiosk enviados, { $applied } novos de outros balcões ({ $sent } bytes enviados, { $received } bytes recebidos).
sync-unknown-kept = { $count ->
    [1] 1 evento de um tipo que a versão deste kiosk não conhece foi guardado e reencaminhado
   *[other] { $count } eventos de um tipo que a versão deste kiosk não conhece foram guardados e reencaminhados
}.
sync-entries-refused = { $count ->
    [1] 1 evento vindo do concentrador não pôde ser aplicado
   *[other] { $count } eventos vindos do concentrador não puderam ser aplicados
} aqui (veja o registo).
sync-status-never = nunca
sync-status-identity = Balcão { $office }, kiosk { $kiosk }, concentrador { $hub }
sync-status-online = Em linha: a última sincronização foi concluída.
sync-status-offline = Fora de linha: a última sincronização não foi concluída.
sync-status-never-synced = Ainda não sincronizado.
sync-status-waiting = Eventos à espera de envio: { $count }
sync-status-last-ok = Última sincronização concluída: { $when }
sync-status-conflicts = Conflitos à espera de um supervisor: { $count } (kiosk sync --check-conflicts lista-os)
sync-conflicts-none = Não há conflitos: não há duas pessoas com o mesmo documento de identificação, nem dois registos de token USB com o mesmo número de série.
sync-conflicts-found = { $count ->
        [1] { $count } conflito espera por um supervisor (também na fila dos supervisores):
       *[other] { $count } conflitos esperam por um supervisor (também na fila dos supervisores):
    }
sync-conflict-id-number = Duas pessoas com um só { $document } { $shared }: { $first } e { $second }
sync-conflict-token-serial = Dois registos de token USB com um só número de série { $shared }: { $first } e { $second }
sync-status-last-failure = Última tentativa { $when }: { $why }
audit-chains-good = Todas as cadeias dos diários estão íntegras: { $count ->
    [1] 1 evento verificado
   *[other] { $count } eventos verificados
}.
audit-chain-broken = Cadeia quebrada: kiosk { $kiosk }, evento número { $seq } ({ $event }): { $why }
