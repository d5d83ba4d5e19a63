# The kiosk's own setup: configuration, data directory, logs, output.
notice-new-store = Não havia base de dados em { $dir }, pelo que foi criada uma nova, vazia. Se queria outro directório de dados, verifique --data-dir ou KIOSK_DATA_DIR.
error-output = Não foi possível escrever o resultado ({ $detail }). Verifique para onde vai (disco cheio, ficheiro fechado) e execute o comando de novo.
error-store-damaged = A base de dados local está danificada ({ $detail }). Não continue a trabalhar com este directório de dados nem apague os seus ficheiros: execute "kiosk store verify" e contacte o apoio técnico.
warning-data-dir-permissions = Não foi possível tornar privado o directório de dados { $dir } ({ $detail }): outras contas deste computador podem conseguir lê-lo. Informe o apoio técnico.
warning-logs-unwritable = Não é possível escrever o ficheiro de registo (log) em { $dir } ({ $detail }). O balcão continua a funcionar e todos os dados continuam a ser guardados; informe o apoio técnico, para que os problemas possam ser seguidos.
demo-credentials-not-shown = O posto de demonstração não foi criado: as senhas do pessoal não puderam ser mostradas ({ $detail }) e só são mostradas uma vez. Execute o comando de novo onde o resultado possa ser lido.
config-error-not-a-file = { $path } devia ser o ficheiro de configuração do balcão, mas não é um ficheiro legível (é uma pasta, ou uma ligação para nada). Substitua-o por um ficheiro ou apague-o para usar os valores predefinidos.
config-error-invalid = A definição { $setting } não pode ser usada: { $detail }. Corrija-a ou apague-a para usar o valor predefinido.
config-error-language = A definição { $setting } é "{ $value }", que não é um idioma do balcão. Use zh-Hant, zh-Hans, pt ou en.
config-error-offset = A definição { $setting } é "{ $value }", que não é uma diferença em relação a UTC. Escreva-a como +08:00.
config-error-kiosk-id = A definição { $setting } é "{ $value }", que não pode ser o identificador de um balcão. Use 1 a 64 letras, algarismos ou sublinhados, como MACAU_01.
config-error-log = A definição { $setting } é "{ $value }", que não é um filtro de registo (log). Use um nível como info ou debug, ou um filtro como store=debug.
config-error-pin-tries = A definição { $setting } é { $value }, mas um token USB tem de permitir pelo menos { $min } PIN errados antes de o balcão o bloquear.
config-error-printer = A definição { $setting } é "{ $value }", que não é o endereço de uma impressora. Escreva-o como ipp://printserver:631/printers/COUNTER_1 (ipp:// ou http://).
config-error-minutes = A definição { $setting } é { $value }, mas tem de ser de { $min } a { $max } minutos.
config-error-fee-currency = Na tabela de preços, { $setting } é "{ $value }", mas a repartição cobra na sua própria moeda (a definição currency). Escreva os preços nessa moeda, ou retire a moeda da tabela.
config-error-fee-unpriced = A tabela de preços não tem { $setting }: o balcão emite estes certificados digitais, por isso indique um preço para cada um dos anos 1 a 5.
config-error-fee-not-at-counter = A tabela de preços tem { $setting }, mas os certificados de assinatura na nuvem nunca são vendidos ao balcão. Retire essa linha.
config-error-fee-years = Na tabela de preços, { $setting } tem { $value } preços; escreva um para cada um dos anos 1 a 5, como [400, 800, 1200, 1600, 2000].
config-error-fee-amount = Na tabela de preços, { $setting } é { $value }, que não é um preço. Escreva um montante de zero a 10 000 000, com no máximo duas casas decimais, como 400 ou 12.50.
