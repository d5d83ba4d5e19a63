# O fecho do dia do balcão: kiosk day-end close|show, o ecrã de fecho dos supervisores e o
# relatório impresso.

record-kind-day_end = fecho do dia

day-end-title = Fecho do dia do balcão
day-end-counter = Balcão
day-end-day = Dia de expediente
day-end-closed-by = Fechado por
day-end-closed-at = Fechado às
day-end-state = Estado
day-end-not-closed = ainda não fechado: os números até agora
day-end-services = Serviços concluídos
day-end-services-total = Todos os serviços
day-end-fees = Taxas recebidas
day-end-refunds = Reembolsos
day-end-method-none = meio de pagamento não registado
day-end-tokens = Tokens USB
day-end-tokens-used = Entregues
day-end-tokens-spoiled = Inutilizados
day-end-tokens-lost = Perdidos
day-end-forms = Formulários
day-end-forms-printed = Impressos
day-end-forms-unsigned = Sem cópia assinada devolvida
day-end-open = Pedidos por concluir
day-end-none = Nenhum
day-end-col-service = Serviço
day-end-col-count = Número
day-end-col-method = Meio de pagamento
day-end-col-amount = Montante
day-end-col-reference = Referência
day-end-col-state = Estado
day-end-signature-section = Verificação
day-end-signature = Supervisor (assinatura e data)
day-end-payments = { $count ->
        [1] { $count } pagamento
       *[other] { $count } pagamentos
    }

day-end-supervisor-only = Só um supervisor fecha o dia do balcão.
day-end-already-closed = O dia deste balcão já foi fechado por { $by } às { $at }. Um dia fechado não volta a ser fechado; "kiosk day-end show" mostra e imprime o que foi verificado.
day-end-future-day = { $day } ainda não começou: só se fecha o dia de hoje ou um dia anterior.

day-end-password-prompt = Palavra-passe de { $supervisor }:
day-end-password-not-text = A palavra-passe tem de ser texto (UTF-8).
day-end-closed = O dia { $day } do balcão { $kiosk } foi fechado por { $by } e guardado como registo { $id }.
day-end-print-failed = O dia está fechado, mas o relatório não foi impresso: { $reason } Imprima-o de novo com "kiosk day-end show --printer".
day-end-printed-file = O PDF do relatório está em { $file }.

key-day-end = fecho do dia
key-day-end-close = fechar o dia e imprimir
key-day-end-earlier = dia anterior
key-day-end-later = dia seguinte
day-end-counting = A contar o dia…
day-end-closing = A fechar o dia e a imprimir o relatório…
day-end-close-hint = Enter fecha o dia e imprime este relatório. Um dia fechado fica guardado como está e não volta a ser fechado.
day-end-print-waiting = O relatório aguarda na fila de impressão (trabalho { $job }).
day-end-print-job-failed = O dia está fechado, mas o trabalho de impressão { $job } do relatório falhou. Imprima-o de novo com "kiosk day-end show --printer".
day-end-more = { $count ->
        [1] … e mais { $count } ("kiosk day-end show" mostra todos)
       *[other] … e mais { $count } ("kiosk day-end show" mostra todos)
    }
