# registry-hub, o concentrador de replicação do registo central (linha de comandos dos operadores).
hub-failed = registry-hub: { $why }
hub-listening = O concentrador está à escuta em { $address }.
hub-enrolled = O kiosk { $kiosk } do balcão { $office } está inscrito: as suas credenciais estão em { $path } (mantenha o ficheiro secreto; destina-se apenas a esse kiosk).
hub-journals-saved = { $count } documentos guardados em { $path }.
hub-audit-good = Todas as cadeias estão íntegras: { $count } eventos verificados.
hub-audit-broken = Cadeia quebrada: kiosk { $kiosk }, evento número { $seq } ({ $event }): { $why }
