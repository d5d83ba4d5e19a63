# Entrada dos funcionários (kiosk/src/signin.rs): o que cada passo recusado diz. Uma palavra-passe
# errada nunca diz se o utilizador existe.
signin-wrong-password = O utilizador ou a palavra-passe estão errados. Verifique ambos e tente de novo.
signin-wrong-code = O código de uso único está errado. Escreva o código de 6 algarismos que a aplicação de autenticação mostra agora.
signin-code-reused = Este código de uso único já foi usado para entrar. Aguarde o código seguinte na aplicação de autenticação.
signin-locked = Demasiadas entradas falhadas seguidas: este funcionário não pode entrar até às { $until }. Entretanto, um supervisor pode ajudar.
signin-no-code-set-up = Este funcionário ainda não tem código de uso único. Peça a um supervisor que execute "kiosk clerk reset-totp" e leia o código QR que este mostra.
signin-start-again = A entrada demorou demasiado. Comece de novo com o utilizador e a palavra-passe.
signin-store-failed = Não foi possível verificar a entrada: a base de dados local falhou ({ $detail }). Tente de novo; se continuar, contacte o apoio técnico.
