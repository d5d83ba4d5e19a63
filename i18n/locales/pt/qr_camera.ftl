# Códigos QR, comprovativos de marcação, a câmara, a verificação de fotografias e os ficheiros de imagem lidos (card-readers: qr, camera, photo, input).

qr-error-image = O ficheiro não é uma imagem que o sistema consiga ler ({ $detail }). Use uma imagem JPEG, PNG ou TIFF.
qr-error-frame-size = A câmara enviou uma imagem incompleta ({ $width }×{ $height }). Tente de novo; se o problema persistir, desligue a câmara e volte a ligá-la.
qr-nothing-found = Não foi detectado nenhum código QR. Segure o código direito, mais perto da câmara e sem reflexos, ou escreva a referência da marcação.
qr-pass-not-today = Esta marcação é para { $slot }, não para hoje. Confirme a marcação com a pessoa ou atenda-a como atendimento sem marcação.
qr-pass-not-a-pass = Este código QR não é um comprovativo de marcação deste serviço de registo. Peça a confirmação da marcação ou procure a marcação pela referência.
qr-pass-unsupported-version = Este comprovativo de marcação está num formato que este sistema não lê (versão { $version }). Procure a marcação pela referência e peça a actualização do sistema.
qr-pass-wrong-field-count = Este comprovativo de marcação está incompleto ou danificado ({ $found ->
        [1] 1 parte
       *[other] { $found } partes
    } em vez de { $expected }). Leia-o de novo ou procure a marcação pela referência.
qr-pass-bad-appointment-id = O número da marcação neste comprovativo não é válido. Procure a marcação pela referência.
qr-pass-bad-reference = A referência da marcação neste comprovativo falta ou está danificada. Procure a marcação pelo nome ou pelo documento de identificação da pessoa.
qr-pass-bad-slot = A hora da marcação neste comprovativo não é válida. Procure a marcação pela referência.
qr-pass-bad-mac-encoding = O código de segurança deste comprovativo está incompleto ou danificado. Leia-o de novo ou procure a marcação pela referência.
qr-pass-forged = Este comprovativo de marcação não passou na verificação de segurança: foi alterado ou não foi emitido por este serviço de registo. Não atenda com base nele; procure a marcação pela referência e confirme a identidade da pessoa.
camera-error-no-camera = Nenhuma câmara encontrada — carregue antes um ficheiro de fotografia.
camera-error-no-such-camera = Não existe a câmara número { $index } (encontradas: { $count }). Escolha uma câmara da lista.
camera-error-unsupported = Este computador não tem uma interface de câmara que o sistema possa usar. Carregue antes um ficheiro de fotografia.
camera-error-query = Não foi possível ler a lista de câmaras ({ $detail }). Carregue antes um ficheiro de fotografia ou reinicie o sistema.
camera-error-open = Não foi possível abrir a câmara ({ $detail }). Feche outros programas que a estejam a usar, desligue-a e volte a ligá-la, ou carregue antes um ficheiro de fotografia.
camera-error-frame = A câmara não enviou nenhuma imagem ({ $detail }). Verifique o cabo e tente de novo.
camera-error-crashed = O software da câmara falhou. Carregue antes um ficheiro de fotografia; os pormenores ficam no registo.
camera-error-file-not-picture = O ficheiro não é uma imagem que o sistema consiga ler ({ $detail }). Use uma imagem JPEG, PNG ou TIFF.
camera-error-no-frames = Não foi escolhido nenhum ficheiro de fotografia. Escolha um ficheiro.
photo-error-empty = A fotografia está vazia. Tire-a novamente ou escolha outro ficheiro.
photo-error-unknown-format = O sistema não reconhece este ficheiro como imagem. Guarde a fotografia em JPEG e carregue-a de novo.
photo-error-unsupported-format = Não são aceites fotografias em { $format }. Guarde a fotografia em JPEG, PNG ou TIFF e carregue-a de novo.
photo-error-truncated = A fotografia está incompleta: falta o fim do ficheiro, talvez porque a cópia foi interrompida. Tire-a novamente ou copie o ficheiro outra vez.
photo-error-unreadable = A fotografia está danificada ou incompleta ({ $detail }). Tire-a novamente ou escolha outro ficheiro.
photo-error-too-large = A imagem é demasiado grande para ser aberta (mais de { $max } píxeis por lado). Guarde uma cópia mais pequena e carregue-a de novo.
photo-error-too-small = A fotografia tem { $width }×{ $height } píxeis; são necessários pelo menos { $min_width }×{ $min_height }. Tire-a novamente mais perto ou use um ficheiro maior.
photo-error-too-dark = A fotografia está demasiado escura. Aumente a luz e confirme que nada tapa a objectiva; depois tire-a novamente.
photo-error-too-bright = A fotografia está demasiado clara. Reduza a luz ou afaste-se da janela; depois tire-a novamente.
photo-error-blank = A fotografia está em branco: não mostra nada. Aponte a câmara para a pessoa e tire-a novamente.
photo-error-cannot-fit = Não foi possível reduzir a fotografia para menos de 3 MB. Tire-a novamente ou escolha outro ficheiro.
photo-error-encode = Não foi possível guardar a fotografia em JPEG ({ $detail }). Tente de novo; os pormenores ficam no registo.
input-error-not-found = O ficheiro { $file } não existe. Verifique o nome e a pasta, ou escolha-o de novo.
input-error-not-a-file = { $file } não é um ficheiro comum, mas um periférico, um canal ou uma pasta. Escolha um ficheiro de imagem.
input-error-too-large = O ficheiro { $file } tem mais de { $max } MB, o máximo que o sistema lê neste caso. Guarde uma cópia mais pequena em JPEG e carregue-a de novo.
input-error-unreadable = Não foi possível ler o ficheiro { $file } ({ $detail }). Confirme que o ficheiro ainda existe e que o sistema o pode abrir, ou escolha-o de novo.
input-error-trailing-data = O ficheiro { $file } contém mais dados depois do fim da imagem (enchimento, outro ficheiro juntado ou o vídeo de uma fotografia animada). Guarde a imagem de novo em JPEG ou PNG e carregue-a outra vez.
