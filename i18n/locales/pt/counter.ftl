# A fila do balcão: registar a chegada de marcações pelo comprovativo QR, senhas de atendimento sem marcação (kiosk: counter, counter_cmd).

counter-checkin-unknown = Este comprovativo é autêntico, mas a marcação não consta dos registos deste balcão (pode ainda não ter chegado do serviço de registo). Procure a marcação pela referência ou atenda a pessoa como atendimento sem marcação.
counter-checkin-already = A chegada da marcação { $reference } ({ $slot }) já foi registada. Não a registe duas vezes; procure a pessoa na fila.
counter-checkin-served = A marcação { $reference } ({ $slot }) já foi atendida. Uma nova visita precisa de nova marcação ou de uma senha de atendimento.
counter-checkin-cancelled = A marcação { $reference } ({ $slot }) foi cancelada. Atenda a pessoa como atendimento sem marcação ou faça nova marcação.
counter-checkin-mismatch = Este comprovativo não corresponde à marcação { $reference } tal como está registada ({ $slot }): a marcação foi alterada ou refeita depois de o comprovativo ser enviado. Confirme a marcação com a pessoa e procure-a pela referência.
counter-appointment-not-found = Não existe nenhuma marcação com este número nos registos.
counter-pass-too-long-for-qr = O comprovativo desta marcação é demasiado longo para ser desenhado como código QR. Encurte a referência da marcação.
counter-walk-in-no-printer = Não há impressora configurada: mostre à pessoa o número da senha { $number } ({ $count ->
        [1] { $count } pessoa
       *[other] { $count } pessoas
    } à sua frente).
