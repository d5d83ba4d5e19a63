# Leitores de Bilhetes de Identidade de Residente do Interior da China, por USB-série (card_readers::cn_id).

cn-reader-error-open = Não foi possível abrir o leitor de Bilhetes de Identidade de Residente do Interior da China em { $path } ({ $detail }). Verifique se o leitor está ligado ao computador e se a porta configurada é a certa.
cn-reader-error-timeout = O leitor de bilhetes de identidade não responde. Verifique o cabo do leitor e se a luz do leitor está acesa, e tente de novo.
cn-reader-error-bad-checksum = A resposta do leitor de bilhetes de identidade chegou danificada. Verifique o cabo do leitor e tente de novo.
cn-reader-error-malformed = O aparelho ligado à porta do leitor de bilhetes de identidade envia algo que não é uma resposta do leitor ({ $detail }). Verifique se a porta configurada é a do leitor e verifique o cabo.
cn-reader-error-no-card = Não há nenhum bilhete de identidade no leitor. Coloque o bilhete bem assente sobre o leitor e deixe-o ficar até a leitura terminar.
cn-reader-error-read-failed = Não foi possível ler o bilhete de identidade (código do leitor { $code }). Retire o bilhete, volte a colocá-lo bem assente sobre o leitor e mantenha-o imóvel.
cn-reader-error-reader-status = O leitor de bilhetes de identidade comunicou um erro (código { $code }). Desligue o leitor e volte a ligá-lo; se o erro persistir, o leitor precisa de assistência técnica.
cn-reader-error-disconnected = Perdeu-se a ligação ao leitor de bilhetes de identidade ({ $detail }). Verifique o cabo do leitor e tente de novo.
cn-reader-error-card-data = Parte dos dados do bilhete de identidade não pôde ser interpretada. Tente de novo; se voltar a falhar, confira o bilhete à vista e introduza os dados manualmente.
cn-reader-error-invalid-id-number = O número de identificação gravado no chip deste bilhete não é válido. Confira com cuidado o bilhete e o titular: o bilhete pode estar danificado ou não ser autêntico.
