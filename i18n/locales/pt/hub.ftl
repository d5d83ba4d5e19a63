# registry-hub, o concentrador de replicação do registo central (linha de comandos dos operadores).
hub-failed = registry-hub: { $why }
hub-listening = O concentrador está à escuta em { $address }.
hub-enrolled = O kiosk { $kiosk } do balcão { $office } está inscrito: as suas credenciais estão em { $path } (mantenha o ficheiro secreto; destina-se apenas a esse kiosk).
hub-journals-saved = { $count ->
    [1] 1 documento guardado
   *[other] { $count } documentos guardados
} em { $path }.
hub-audit-good = Todas as cadeias estão íntegras: { $count ->
    [1] 1 evento verificado
   *[other] { $count } eventos verificados
}.
hub-audit-broken = Cadeia quebrada: kiosk { $kiosk }, evento número { $seq } ({ $event }): { $why }
hub-conflicts-none = Sem conflitos: nenhum par de registos partilha um documento de identificação ou um número de série de token USB.
hub-conflict = { $what } { $key }: { $records }
hub-conflict-id_number = Um documento de identificação em várias pessoas:
hub-conflict-token_serial = Um número de série de token USB em vários tokens USB:
