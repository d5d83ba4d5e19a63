# Passaportes e bilhetes de identidade lidos por PC/SC (kiosk doc read, kiosk devices).

doc-error-no-reader = Nenhum leitor de cartões está ligado. Verifique o cabo do leitor ou escolha outro leitor.
doc-error-no-card = Não há nenhum cartão no leitor. Coloque a página da fotografia do passaporte (ou o bilhete de identidade) no leitor.
doc-error-reader = O leitor de cartões falhou ({ $detail }). Desligue-o, volte a ligá-lo e tente de novo.
doc-error-no-service = O serviço de cartões inteligentes (pcscd) não está a funcionar, pelo que nenhum leitor de cartões pode ser usado, esteja o que estiver ligado. Inicie-o (como root: systemctl start pcscd, ou pcscd onde não houver systemd) e tente de novo; não é preciso desligar o leitor.
doc-error-not-emrtd = Este cartão não é um passaporte nem um bilhete de identidade electrónico. Leia a zona de leitura automática (ZLA) com o digitalizador de documentos.
doc-error-access-denied = Acesso negado — verifique a ZLA. O chip só abre com o número do documento, a data de nascimento e a data de validade exactamente como impressos.
doc-error-pace-only = Este chip só oferece PACE, que o quiosque ainda não suporta. Use a ZLA impressa e verifique o documento à vista.
doc-error-mrz-incomplete = A ZLA não tem uma data de nascimento ou de validade válida, por isso o chip não pode ser aberto. Verifique a ZLA.
doc-error-secure-messaging = A ligação segura ao chip foi interrompida ({ $detail }). Mantenha o documento imóvel no leitor e tente de novo.
doc-error-card = O chip recusou { $step } (estado { $status }). Tente de novo; se persistir, leia apenas a ZLA.
doc-error-malformed = Os dados do chip não puderam ser lidos ({ $detail }). O documento pode estar danificado.
doc-error-not-an-mrz = Isto não é uma ZLA ({ $detail }). Escreva as duas ou três linhas exactamente como impressas.
pa-check-data-group-hashes = Dados do chip inalterados desde a emissão
pa-check-sod-signature = Dados do chip assinados pelo signatário do documento
pa-check-document-signer = Signatário do documento certificado pelo país emissor
pa-check-csca-trusted = Certificado do país emissor na lista de confiança
pa-passed = aprovado
pa-failed = FALHOU
doc-read-summary = Lido em { $reader } com { $apdus ->
        [1] 1 comando
       *[other] { $apdus } comandos
    }. Autenticação passiva: { $result }.
doc-photo-written = A fotografia do chip foi gravada em { $file }.
devices-readers = Leitores de cartões
devices-cameras = Câmaras
devices-tokens = Tokens USB
devices-printers = Impressoras
devices-none = nenhum encontrado
devices-card-present = com cartão
devices-no-card = sem cartão
devices-unavailable = indisponível: { $detail }
devices-printers-not-configured = não há impressora do posto definida: acrescente printer = "ipp://…" ao kiosk.toml, ou indique uma com --printer ao imprimir
devices-printer-idle = pronta
devices-printer-processing = a imprimir
devices-printer-stopped = parada
devices-printer-not-accepting = recusa trabalhos novos
devices-spool = Fila de impressão — em espera: { $waiting }, a enviar ou retidos pela impressora: { $sending }, falhados (alguém tem de ver): { $failed }, impressos: { $printed }
devices-spool-oldest = o trabalho mais antigo ainda por imprimir entrou na fila às { $at }
devices-spool-unavailable = não é possível ler a fila de impressão: { $detail }
devices-tokens-no-module = defina token_module em kiosk.toml ou use --module para listar os tokens USB
photo-chip = Fotografia do chip
photo-captured = Fotografia tirada no balcão
photo-no-graphics = Este terminal não consegue desenhar fotografias: é mostrada uma pré-visualização grosseira. Compare o rosto com o próprio documento.
photo-missing = Ainda não há fotografia. Tire uma ou carregue um ficheiro de fotografia.
photo-unreadable = Esta fotografia não pode ser mostrada ({ $detail }).
doc-error-trust-store = Não foi possível ler os certificados CSCA de confiança em { $dir }: { $detail }. A autenticação passiva precisa deles; corrija ou retire o ficheiro e informe o apoio técnico.
printer-reason-media-empty = sem papel na bandeja
printer-reason-media-needed = precisa de papel
printer-reason-media-jam = papel encravado
printer-reason-door-open = porta aberta
printer-reason-cover-open = tampa aberta
printer-reason-toner-low = pouco toner
printer-reason-toner-empty = sem toner
printer-reason-marker-supply-low = pouca tinta ou toner
printer-reason-marker-supply-empty = sem tinta ou toner
printer-reason-paused = em pausa
printer-reason-offline = desligada da rede
printer-reason-shutdown = desligada
