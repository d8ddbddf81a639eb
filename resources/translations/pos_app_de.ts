<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
  <context>
    <name>messages</name>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="37" />
      <source>Redeem (Enter)</source>
      <translation>Einlösen (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="39" />
      <source>Whole balance (F5)</source>
      <translation>Ganzes Guthaben (F5)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="40" />
      <source>Check balance (F2)</source>
      <translation>Guthaben prüfen (F2)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="41" />
      <source>Refund last (F3)</source>
      <translation>Letzte erstatten (F3)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="42" />
      <source>Reprint (F4)</source>
      <translation>Nachdruck (F4)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="43" />
      <location filename="pos_app/ui/manager/cards_page.py" line="80" />
      <location filename="pos_app/ui/widgets/pin_pad.py" line="66" />
      <source>Clear (Esc)</source>
      <translation>Löschen (Esc)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="44" />
      <source>Sell card (F6)</source>
      <translation>Karte verkaufen (F6)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="45" />
      <source>Sell the card shown once the customer has paid (the amount typed is the price)</source>
      <translation>Die angezeigte Karte verkaufen, sobald der Kunde bezahlt hat (der eingegebene Betrag ist der Preis)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="46" />
      <source>Take everything that is left on the card</source>
      <translation>Das gesamte Restguthaben der Karte einlösen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="47" />
      <source>Read the card's balance again</source>
      <translation>Guthaben der Karte erneut abfragen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="48" />
      <source>Put your last redemption back on its card</source>
      <translation>Ihre letzte Einlösung auf die Karte zurückbuchen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="49" />
      <source>Print the last receipt again</source>
      <translation>Letzten Beleg erneut drucken</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/actions.py" line="50" />
      <source>Forget the card and the amount</source>
      <translation>Karte und Betrag verwerfen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/amount_pad.py" line="40" />
      <location filename="pos_app/ui/cashier/card_facts.py" line="135" />
      <location filename="pos_app/ui/manager/card_history.py" line="108" />
      <source>Amount</source>
      <translation>Betrag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/amount_pad.py" line="53" />
      <location filename="pos_app/ui/widgets/pin_pad.py" line="69" />
      <source>Delete the last digit</source>
      <translation>Letzte Ziffer löschen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/amount_pad.py" line="54" />
      <source>Clear the amount</source>
      <translation>Betrag löschen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/amount_pad.py" line="52" />
      <location filename="pos_app/ui/widgets/pin_pad.py" line="65" />
      <source>C</source>
      <translation>C</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="44" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="41" />
      <source>Active</source>
      <translation>Aktiv</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="49" />
      <source>not enough on the card</source>
      <translation>Guthaben reicht nicht</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="50" />
      <source>card expired</source>
      <translation>Karte abgelaufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="51" />
      <source>card not sold yet</source>
      <translation>Karte noch nicht verkauft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="52" />
      <source>not at this time</source>
      <translation>nicht zu dieser Zeit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="53" />
      <source>card disabled</source>
      <translation>Karte gesperrt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="54" />
      <source>card on hold</source>
      <translation>Karte in Klärung</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="55" />
      <source>used too often</source>
      <translation>zu oft verwendet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="56" />
      <source>order rules</source>
      <translation>Bestellregeln</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="57" />
      <source>customer rules</source>
      <translation>Kundenregeln</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="58" />
      <source>offline limit</source>
      <translation>Offline-Limit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="59" />
      <source>offline cap</source>
      <translation>Offline-Obergrenze</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="60" />
      <source>offline too long</source>
      <translation>zu lange offline</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="61" />
      <source>card not checked</source>
      <translation>Karte nicht geprüft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="71" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="61" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="120" />
      <source>Redeemed</source>
      <translation>Eingelöst</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="73" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="62" />
      <location filename="pos_app/ui/manager/report_tables.py" line="51" />
      <source>Refunded</source>
      <translation>Erstattet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="75" />
      <location filename="pos_app/ui/manager/conflict_table.py" line="28" />
      <source>Corrected</source>
      <translation>Korrigiert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="77" />
      <source>Activated</source>
      <translation>Aktiviert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="77" />
      <source>Topped up</source>
      <translation>Aufgeladen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="83" />
      <source>Provisional</source>
      <translation>Vorläufig</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="85" />
      <location filename="pos_app/ui/manager/card_text.py" line="26" />
      <source>Conflict</source>
      <translation>Konflikt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="33" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="42" />
      <source>Disabled</source>
      <translation>Gesperrt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="35" />
      <source>On hold</source>
      <translation>In Klärung</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="37" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="32" />
      <source>Not sold yet</source>
      <translation>Noch nicht verkauft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="39" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="32" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="42" />
      <source>Expired</source>
      <translation>Abgelaufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="41" />
      <source>Not valid yet</source>
      <translation>Noch nicht gültig</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="43" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="31" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="41" />
      <source>Spent</source>
      <translation>Aufgebraucht</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="69" />
      <source>Refused</source>
      <translation>Abgelehnt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="97" />
      <source>Allowed by a manager's override</source>
      <translation>Durch Manager-Freigabe erlaubt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="131" />
      <source>When</source>
      <translation>Wann</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="133" />
      <location filename="pos_app/ui/manager/card_history.py" line="107" />
      <source>What</source>
      <translation>Was</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="136" />
      <source>Left</source>
      <translation>Rest</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="137" />
      <source>Sync</source>
      <translation>Sync</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="69" />
      <source>Refused: {why}</source>
      <translation>Abgelehnt: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="93" />
      <source>Order: {ref}</source>
      <translation>Bestellung: {ref}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_facts.py" line="95" />
      <source>Reason: {reason}</source>
      <translation>Grund: {reason}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_panel.py" line="55" />
      <location filename="pos_app/ui/manager/cards_page.py" line="75" />
      <source>Scan a card or type its code</source>
      <translation>Karte scannen oder Code eingeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_panel.py" line="66" />
      <location filename="pos_app/ui/manager/customers_page.py" line="55" />
      <location filename="pos_app/ui/manager/customers_page.py" line="63" />
      <source>Balance</source>
      <translation>Guthaben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_panel.py" line="178" />
      <source>No expiry date</source>
      <translation>Kein Ablaufdatum</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_panel.py" line="183" />
      <source>Valid until {date}</source>
      <translation>Gültig bis {date}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/card_panel.py" line="182" />
      <source>Expired: it was valid until {date}</source>
      <translation>Abgelaufen: sie war gültig bis {date}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="41" />
      <source>Manager override</source>
      <translation>Manager-Freigabe</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="50" />
      <location filename="pos_app/ui/cashier/dialogs.py" line="83" />
      <location filename="pos_app/ui/cashier/dialogs.py" line="120" />
      <source>Cancel (Esc)</source>
      <translation>Abbrechen (Esc)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="99" />
      <source>Sell card</source>
      <translation>Karte verkaufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="108" />
      <source>Cash (1)</source>
      <translation>Bar (1)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="108" />
      <source>Card (2)</source>
      <translation>Karte (2)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="109" />
      <source>Other (3)</source>
      <translation>Anders (3)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="43" />
      <source>The till is offline and its limits refused {what}.
A manager may accept it with their PIN; the override is recorded.</source>
      <translation>Die Kasse ist offline, und ihre Limits haben {what} abgelehnt.
Ein Manager kann dies mit seiner PIN freigeben; die Freigabe wird protokolliert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/dialogs.py" line="101" />
      <source>Sell {what}. How did the customer pay?</source>
      <translation>{what} verkaufen. Wie hat der Kunde bezahlt?</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="306" />
      <source>The receipt was printed again.</source>
      <translation>Der Beleg wurde erneut gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="311" />
      <source>The receipt printer did not print.</source>
      <translation>Der Belegdrucker hat nicht gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="194" />
      <source>{amount} on card {card}</source>
      <translation>{amount} auf Karte {card}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="232" />
      <source>card {card}</source>
      <translation>Karte {card}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="251" />
      <source>Card {card} sold: {value} on it, paid {price}</source>
      <translation>Karte {card} verkauft: {value} darauf, bezahlt {price}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="277" />
      <location filename="pos_app/ui/keys_help.py" line="31" />
      <source>Refund last</source>
      <translation>Letzte Einlösung erstatten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="309" />
      <location filename="pos_app/ui/cashier/sales.py" line="125" />
      <location filename="pos_app/ui/manager/cards_page.py" line="365" />
      <source>Printer: receipt printed</source>
      <translation>Drucker: Beleg gedruckt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="174" />
      <source>Manager override (F7)</source>
      <translation>Manager-Freigabe (F7)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="234" />
      <source>card {card}, worth {value}, for {price}</source>
      <translation>Karte {card} im Wert von {value} für {price}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="313" />
      <source>The receipt did not print: {problem}</source>
      <translation>Der Beleg wurde nicht gedruckt: {problem}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="278" />
      <source>Put {amount} back on card {card}?</source>
      <translation>{amount} auf Karte {card} zurückbuchen?</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/sales.py" line="279" />
      <source>Refund {amount}</source>
      <translation>{amount} erstatten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="56" />
      <source>Or type the card code and press Enter</source>
      <translation>Oder Kartencode eingeben und Enter drücken</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="57" />
      <source>Card code</source>
      <translation>Kartencode</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="60" />
      <source>Find</source>
      <translation>Suchen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="200" />
      <source>Scan a card, or type its code and press Enter.</source>
      <translation>Karte scannen oder Code eingeben und Enter drücken.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="244" />
      <source>This card has nothing left on it.</source>
      <translation>Auf dieser Karte ist kein Guthaben mehr.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="213" />
      <source>Type the card's code first, or scan the card.</source>
      <translation>Zuerst den Kartencode eingeben oder die Karte scannen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/screen.py" line="249" />
      <source>Type the amount and press Enter to redeem.</source>
      <translation>Betrag eingeben und zum Einlösen Enter drücken.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="47" />
      <source>That amount is larger than any gift card holds. Check what you typed.</source>
      <translation>Dieser Betrag ist höher als jedes mögliche Kartenguthaben. Bitte Eingabe prüfen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="51" />
      <source>There is nothing to refund: you have not redeemed a card since you logged in.</source>
      <translation>Nichts zu erstatten: Seit Ihrer Anmeldung haben Sie keine Karte eingelöst.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="55" />
      <source>The last sale at this till was not a redemption, so there is nothing to refund.</source>
      <translation>Der letzte Vorgang an dieser Kasse war keine Einlösung, daher gibt es nichts zu erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="59" />
      <source>There is no receipt to reprint: nothing has been sold since you logged in.</source>
      <translation>Kein Beleg zum Nachdrucken: Seit Ihrer Anmeldung wurde nichts verkauft.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="63" />
      <source>Scan a card first, or type its code.</source>
      <translation>Zuerst eine Karte scannen oder ihren Code eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="67" />
      <source>Redeemed {amount} — {left} left on the card</source>
      <translation>{amount} eingelöst — {left} bleiben auf der Karte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="73" />
      <source>Refunded {amount} to the card — {left} on it now</source>
      <translation>{amount} auf die Karte erstattet — jetzt {left} darauf</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="79" />
      <source>The sale is done, but the receipt did not print: {problem} Reprint with F4.</source>
      <translation>Der Verkauf ist abgeschlossen, aber der Beleg wurde nicht gedruckt: {problem} Nachdruck mit F4.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="29" />
      <source>An amount cannot be negative. Type it without a minus sign, such as {example}.</source>
      <translation>Ein Betrag kann nicht negativ sein. Ohne Minuszeichen eingeben, z. B. {example}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="33" />
      <source>“{text}” is not an amount. Type digits only, such as {example}.</source>
      <translation>„{text}“ ist kein Betrag. Nur Ziffern eingeben, z. B. {example}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="36" />
      <source>Use a dot for the decimals and no thousands separator, such as {example}.</source>
      <translation>Punkt als Dezimaltrennzeichen und kein Tausendertrennzeichen verwenden, z. B. {example}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="43" />
      <source>Amounts in {currency} have at most {n} decimals, such as {example}.</source>
      <translation>Beträge in {currency} haben höchstens {n} Nachkommastellen, z. B. {example}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="46" />
      <source>Enter an amount greater than zero, such as {example}.</source>
      <translation>Einen Betrag größer als null eingeben, z. B. {example}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/cashier/wording.py" line="41" />
      <source>Amounts in {currency} have no decimals. Type whole amounts, such as 12.</source>
      <translation>Beträge in {currency} haben keine Nachkommastellen. Ganze Beträge eingeben, z. B. 12.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="28" />
      <source>Enter</source>
      <translation>Enter</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="28" />
      <source>Find the typed code; redeem the typed amount</source>
      <translation>Den eingegebenen Code suchen; den eingegebenen Betrag einlösen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="29" />
      <source>Esc</source>
      <translation>Esc</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="29" />
      <source>Clear the card and the amount; close a question</source>
      <translation>Karte und Betrag leeren; eine Rückfrage schließen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="30" />
      <source>Check balance</source>
      <translation>Guthaben prüfen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="32" />
      <source>Reprint the last receipt</source>
      <translation>Den letzten Beleg nachdrucken</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="33" />
      <source>Whole balance</source>
      <translation>Ganzes Guthaben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="34" />
      <source>Manager override of an offline refusal</source>
      <translation>Freigabe einer Offline-Ablehnung durch einen Manager</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="35" />
      <source>The till (cashier screen)</source>
      <translation>Die Kasse (Kassenansicht)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="36" />
      <source>The manager screen (a manager's PIN)</source>
      <translation>Die Manageransicht (PIN eines Managers)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="37" />
      <source>Alt+1 … Alt+9</source>
      <translation>Alt+1 … Alt+9</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="37" />
      <source>A page of the manager screen</source>
      <translation>Eine Seite der Manageransicht</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="38" />
      <source>Kiosk mode: full screen; leaving it needs a manager's PIN</source>
      <translation>Kioskmodus: Vollbild; verlassen nur mit der PIN eines Managers</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="39" />
      <source>Lock the till</source>
      <translation>Kasse sperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="40" />
      <source>Close the till (in kiosk mode: a manager's PIN)</source>
      <translation>Kasse schließen (im Kioskmodus: PIN eines Managers)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="41" />
      <source>This list of keys</source>
      <translation>Diese Liste der Tasten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="49" />
      <location filename="pos_app/ui/keys_help.py" line="51" />
      <source>Keys</source>
      <translation>Tasten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="56" />
      <source>Keys of the till</source>
      <translation>Tasten der Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="67" />
      <source>Close (Esc)</source>
      <translation>Schließen (Esc)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="68" />
      <source>Close</source>
      <translation>Schließen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="57" />
      <source>Key</source>
      <translation>Taste</translation>
    </message>
    <message>
      <location filename="pos_app/ui/keys_help.py" line="57" />
      <source>What it does</source>
      <translation>Was sie tut</translation>
    </message>
    <message>
      <location filename="pos_app/ui/kiosk.py" line="68" />
      <source>Kiosk mode is off until the till starts again.</source>
      <translation>Der Kioskmodus ist bis zum nächsten Start der Kasse aus.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/kiosk.py" line="75" />
      <source>Leaving kiosk mode needs a manager's PIN.</source>
      <translation>Den Kioskmodus verlässt man nur mit der PIN eines Managers.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/kiosk.py" line="82" />
      <source>Closing the till needs a manager's PIN.</source>
      <translation>Die Kasse schließt man nur mit der PIN eines Managers.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/kiosk.py" line="106" />
      <source>Cancel (Esc) keeps the till as it is.</source>
      <translation>Abbrechen (Esc) lässt die Kasse, wie sie ist.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="65" />
      <source>Enter your PIN</source>
      <translation>PIN eingeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="71" />
      <source>Tap the keys or type on the keyboard: Enter logs in, Esc clears.</source>
      <translation>Tasten antippen oder Tastatur verwenden: Enter meldet an, Esc löscht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="220" />
      <location filename="pos_app/ui/login.py" line="222" />
      <source>A manager's PIN is needed</source>
      <translation>Manager-PIN erforderlich</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="226" />
      <source>Only a manager may open the manager screen. Ask a manager to enter their PIN here; Cancel goes back to the till as it was.</source>
      <translation>Nur ein Manager darf die Manager-Ansicht öffnen. Bitten Sie einen Manager, hier seine PIN einzugeben; „Abbrechen“ kehrt unverändert zur Kasse zurück.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="279" />
      <source>Demo shop</source>
      <translation>Demo-Geschäft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="282" />
      <source>The cards and sales here are made up: nothing is real money. Log in with one of these PINs, or tap a person.</source>
      <translation>Die Karten und Verkäufe hier sind erfunden: Es ist kein echtes Geld. Mit einer dieser PINs anmelden oder eine Person antippen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="287" />
      <location filename="pos_app/ui/manager/card_history.py" line="113" />
      <source>Person</source>
      <translation>Person</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="289" />
      <source>Tap to log in as {who}</source>
      <translation>Antippen, um sich als {who} anzumelden</translation>
    </message>
    <message>
      <location filename="pos_app/ui/login.py" line="287" />
      <source>{who} — PIN {pin}</source>
      <translation>{who} — PIN {pin}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="125" />
      <source>Till (F8)</source>
      <translation>Kasse (F8)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="126" />
      <source>Manager (F9)</source>
      <translation>Manager (F9)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="127" />
      <source>Lock (F12)</source>
      <translation>Sperren (F12)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="128" />
      <source>?</source>
      <translation>?</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="129" />
      <location filename="pos_app/ui/main_window.py" line="130" />
      <source>Keys (F1)</source>
      <translation>Tasten (F1)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="211" />
      <source>manager</source>
      <translation>Manager</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="211" />
      <source>cashier</source>
      <translation>Kassierer</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="253" />
      <source>The till locked itself after a while without use. Enter your PIN.</source>
      <translation>Die Kasse wurde nach längerer Nichtbenutzung gesperrt. PIN eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="233" />
      <source>Log in first, then scan the card.</source>
      <translation>Zuerst anmelden, dann die Karte scannen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="55" />
      <location filename="pos_app/ui/main_window.py" line="228" />
      <source>{shop} — gift card till</source>
      <translation>{shop} — Geschenkkarten-Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/main_window.py" line="212" />
      <source>{name} · {role}</source>
      <translation>{name} · {role}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="33" />
      <source>&amp;Own code format (to match codes from another system)</source>
      <translation>&amp;Eigenes Codeformat (passend zu Codes eines anderen Systems)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="34" />
      <source>Own code format</source>
      <translation>Eigenes Codeformat</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="35" />
      <source>Pattern</source>
      <translation>Muster</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="35" />
      <source>e.g. SHOP-####-#### (# is one random character)</source>
      <translation>z. B. SHOP-####-#### (# ist ein zufälliges Zeichen)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="38" />
      <source>from the pattern</source>
      <translation>aus dem Muster</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="39" />
      <source>Code length</source>
      <translation>Codelänge</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="40" />
      <source>Random characters when there is no pattern</source>
      <translation>Zufällige Zeichen, wenn es kein Muster gibt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="41" />
      <source>Characters</source>
      <translation>Zeichen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="41" />
      <source>default: letters and digits that cannot be mistaken</source>
      <translation>Standard: Buchstaben und Ziffern, die man nicht verwechseln kann</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="42" />
      <location filename="pos_app/ui/manager/settings_till.py" line="35" />
      <source>Prefix</source>
      <translation>Präfix</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="42" />
      <source>text before each code</source>
      <translation>Text vor jedem Code</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="43" />
      <source>Postfix</source>
      <translation>Suffix</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="43" />
      <source>text after each code</source>
      <translation>Text nach jedem Code</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="50" />
      <source>no limit</source>
      <translation>keine Grenze</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="51" />
      <source>Redemption limit</source>
      <translation>Einlösungsgrenze</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="52" />
      <source>How many times each card may be used (0: as often as its balance allows)</source>
      <translation>Wie oft jede Karte benutzt werden darf (0: so oft ihr Guthaben reicht)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="53" />
      <location filename="pos_app/ui/manager/card_terms_form.py" line="38" />
      <source>Category</source>
      <translation>Kategorie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="53" />
      <source>optional, e.g. christmas</source>
      <translation>optional, z. B. weihnachten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="61" />
      <source>&amp;Pattern</source>
      <translation>&amp;Muster</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="62" />
      <source>&amp;Length</source>
      <translation>&amp;Länge</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="63" />
      <source>C&amp;haracters</source>
      <translation>Zei&amp;chen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="64" />
      <source>Pre&amp;fix</source>
      <translation>&amp;Präfix</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="65" />
      <source>Pos&amp;tfix</source>
      <translation>&amp;Suffix</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="73" />
      <source>&amp;Redemption limit</source>
      <translation>Einlösungs&amp;grenze</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="74" />
      <source>Cate&amp;gory</source>
      <translation>&amp;Kategorie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="108" />
      <source>Codes will look like {example}</source>
      <translation>Die Codes sehen so aus: {example}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_codes.py" line="105" />
      <source>These settings cannot make codes: {why}</source>
      <translation>Mit diesen Einstellungen entstehen keine Codes: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="62" />
      <source>New campaign</source>
      <translation>Neue Kampagne</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="66" />
      <source>e.g. Christmas cards</source>
      <translation>z. B. Weihnachtskarten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="69" />
      <source>e.g. 25.00</source>
      <translation>z. B. 25.00</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="72" />
      <source>e.g. 500</source>
      <translation>z. B. 500</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="75" />
      <source>Starts on</source>
      <translation>Beginnt am</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="76" />
      <location filename="pos_app/ui/manager/campaigns_page.py" line="71" />
      <location filename="pos_app/ui/manager/card_terms_form.py" line="37" />
      <source>Last day</source>
      <translation>Letzter Tag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="88" />
      <source>Create campaign (Ctrl+Enter)</source>
      <translation>Kampagne anlegen (Strg+Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="90" />
      <source>Ctrl+Return</source>
      <translation>Ctrl+Return</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="92" />
      <source>Back to the list (Esc)</source>
      <translation>Zurück zur Liste (Esc)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="107" />
      <source>&amp;Name</source>
      <translation>&amp;Name</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="109" />
      <source>Number of &amp;cards</source>
      <translation>&amp;Anzahl Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="114" />
      <source>Cards are made inactive: each becomes usable when it is sold. Codes look like GC-7XZP-… and carry a check character.</source>
      <translation>Karten werden inaktiv angelegt: Jede wird erst beim Verkauf nutzbar. Codes sehen aus wie GC-7XZP-… und enthalten ein Prüfzeichen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="166" />
      <source>Give the campaign a name.</source>
      <translation>Bitte einen Namen für die Kampagne eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="179" />
      <source>The last day must be today or later.</source>
      <translation>Der letzte Tag muss heute oder später sein.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="181" />
      <source>The last day must not be before the first day.</source>
      <translation>Der letzte Tag darf nicht vor dem ersten Tag liegen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="74" />
      <source>From 1 to {most} cards</source>
      <translation>1 bis {most} Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="108" />
      <source>&amp;Value per card ({currency})</source>
      <translation>&amp;Wert pro Karte ({currency})</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="228" />
      <source>Written {done} of {total} cards…</source>
      <translation>{done} von {total} Karten geschrieben…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="173" />
      <source>Enter how many cards to make: a whole number from 1 to {most}.</source>
      <translation>Anzahl der Karten eingeben: eine ganze Zahl von 1 bis {most}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_form.py" line="222" />
      <source>Writing {total} cards…</source>
      <translation>{total} Karten werden geschrieben…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="43" />
      <source>Open folder</source>
      <translation>Ordner öffnen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="76" />
      <source>Cancelling…</source>
      <translation>Wird abgebrochen…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="94" />
      <source>Cancelled: no file was written.</source>
      <translation>Abgebrochen: Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="96" />
      <source>Card sheet cancelled; no file was written.</source>
      <translation>Kartenbogen abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="65" />
      <source>Drawing the cards of “{name}”…</source>
      <translation>Karten von „{name}“ werden gezeichnet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="99" />
      <source>{cards} cards on {pages} pages: {file}</source>
      <translation>{cards} Karten auf {pages} Seite(n): {file}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="112" />
      <source>The PDF could not be written there ({reason}). Choose another folder.</source>
      <translation>Das PDF konnte dort nicht geschrieben werden ({reason}). Bitte einen anderen Ordner wählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="106" />
      <source>Card sheet written to {file}.</source>
      <translation>Kartenbogen gespeichert unter {file}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaign_sheet.py" line="102" />
      <source>({n} disabled cards left out.)</source>
      <translation>(Ausgelassene gesperrte Karten: {n}.)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="77" />
      <location filename="pos_app/ui/manager/campaigns_page.py" line="117" />
      <source>Campaigns</source>
      <translation>Kampagnen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="59" />
      <source>No expiry</source>
      <translation>Kein Ablauf</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="66" />
      <location filename="pos_app/ui/manager/customers_page.py" line="50" />
      <location filename="pos_app/ui/manager/customers_page.py" line="130" />
      <source>Name</source>
      <translation>Name</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="67" />
      <source>Card value</source>
      <translation>Kartenwert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="68" />
      <location filename="pos_app/ui/manager/cards_page.py" line="61" />
      <location filename="pos_app/ui/manager/customers_page.py" line="95" />
      <source>Cards</source>
      <translation>Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="69" />
      <location filename="pos_app/ui/manager/report_tables.py" line="47" />
      <source>Sold</source>
      <translation>Verkauft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="72" />
      <source>Created</source>
      <translation>Angelegt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="88" />
      <source>No campaigns yet. Create the first one with the form on the right.</source>
      <translation>Noch keine Kampagnen. Legen Sie die erste mit dem Formular rechts an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="93" />
      <source>Card sheet… (Ctrl+P)</source>
      <translation>Kartenbogen… (Strg+P)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="94" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="102" />
      <source>Ctrl+P</source>
      <translation>Ctrl+P</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="96" />
      <location filename="pos_app/ui/manager/conflicts_page.py" line="77" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="97" />
      <source>Refresh (F5)</source>
      <translation>Aktualisieren (F5)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="97" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="98" />
      <location filename="pos_app/ui/manager/reports_page.py" line="113" />
      <source>F5</source>
      <translation>F5</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="111" />
      <source>New campaign (Ctrl+N)</source>
      <translation>Neue Kampagne (Strg+N)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="113" />
      <source>Ctrl+N</source>
      <translation>Ctrl+N</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="264" />
      <source>Save card sheet</source>
      <translation>Kartenbogen speichern</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="265" />
      <source>PDF files (*.pdf)</source>
      <translation>PDF-Dateien (*.pdf)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="70" />
      <source>Cards sold and usable now (disabled and frozen cards not counted)</source>
      <translation>Verkaufte, jetzt nutzbare Karten (ohne gesperrte und Karten in Klärung)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/campaigns_page.py" line="241" />
      <source>Campaign “{name}” is ready: {count} cards, inactive until sold.</source>
      <translation>Kampagne „{name}“ ist bereit: {count} Karten, inaktiv bis zum Verkauf.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_forms.py" line="161" />
      <source>Scan a card or type its code first.</source>
      <translation>Zuerst eine Karte scannen oder ihren Code eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="105" />
      <location filename="pos_app/ui/manager/settings_camera.py" line="48" />
      <source>Time</source>
      <translation>Zeit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="110" />
      <source>Balance after</source>
      <translation>Guthaben danach</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="112" />
      <location filename="pos_app/ui/manager/report_tables.py" line="69" />
      <location filename="pos_app/ui/manager/settings_till.py" line="64" />
      <source>Till</source>
      <translation>Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="114" />
      <source>Order ref</source>
      <translation>Referenz</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="115" />
      <location filename="pos_app/ui/manager/card_operations.py" line="142" />
      <location filename="pos_app/ui/manager/card_operations.py" line="173" />
      <source>Reason</source>
      <translation>Grund</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="116" />
      <location filename="pos_app/ui/manager/conflict_table.py" line="41" />
      <location filename="pos_app/ui/manager/customers_page.py" line="62" />
      <source>Status</source>
      <translation>Status</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="98" />
      <source> · refunded</source>
      <translation> · erstattet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="79" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="41" />
      <location filename="pos_app/ui/manager/report_tables.py" line="32" />
      <source>This till</source>
      <translation>Diese Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_history.py" line="100" />
      <source> · {amount} refunded</source>
      <translation> · {amount} erstattet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="32" />
      <location filename="pos_app/ui/manager/card_operations.py" line="83" />
      <source>This card is disabled. Enable it first (Ctrl+4).</source>
      <translation>Diese Karte ist gesperrt. Zuerst entsperren (Strg+4).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="34" />
      <source>This card has not been sold yet. Sell it first.</source>
      <translation>Diese Karte wurde noch nicht verkauft. Zuerst verkaufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="109" />
      <source>Type the amount the customer paid. It prints a receipt.</source>
      <translation>Den vom Kunden bezahlten Betrag eingeben. Ein Beleg wird gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="151" />
      <source>The customer pays the amount first. It prints a receipt.</source>
      <translation>Der Kunde zahlt zuerst den Betrag. Ein Beleg wird gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="182" />
      <source>Type + to add or - to remove, and always say why. It prints a correction slip.</source>
      <translation>+ zum Hinzufügen oder - zum Abziehen eingeben und immer einen Grund angeben. Ein Korrekturbeleg wird gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="218" />
      <location filename="pos_app/ui/manager/card_operations.py" line="228" />
      <source>Disable</source>
      <translation>Sperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="219" />
      <location filename="pos_app/ui/manager/card_operations.py" line="230" />
      <source>Disable (Enter)</source>
      <translation>Sperren (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="245" />
      <source>Disable a lost or stolen card: nobody can pay with it until it is enabled again.</source>
      <translation>Verlorene oder gestohlene Karte sperren: Niemand kann damit zahlen, bis sie wieder entsperrt wird.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="45" />
      <source>Sell</source>
      <translation>Verkaufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="45" />
      <source>Activate (Enter)</source>
      <translation>Aktivieren (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="48" />
      <source>Price paid</source>
      <translation>Bezahlter Preis</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="48" />
      <source>empty: the card's value</source>
      <translation>leer: der Wert der Karte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="50" />
      <source>Order reference</source>
      <translation>Bestellreferenz</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="50" />
      <source>optional, e.g. the shop's receipt number</source>
      <translation>optional, z. B. die Belegnummer des Geschäfts</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="59" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="52" />
      <source>Cash</source>
      <translation>Bar</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="59" />
      <location filename="pos_app/ui/manager/conflict_table.py" line="33" />
      <location filename="pos_app/ui/manager/customers_page.py" line="129" />
      <source>Card</source>
      <translation>Karte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="59" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="52" />
      <source>Other</source>
      <translation>Anders</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="70" />
      <source>Paid by</source>
      <translation>Bezahlt mit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="81" />
      <source>This card is already sold and active. Use Top up to add money to it.</source>
      <translation>Diese Karte ist bereits verkauft und aktiv. Mit „Aufladen“ Guthaben hinzufügen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="85" />
      <source>This card is on hold until its conflict is resolved.</source>
      <translation>Diese Karte ist in Klärung, bis ihr Konflikt gelöst ist.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="87" />
      <source>This card has expired and cannot be sold.</source>
      <translation>Diese Karte ist abgelaufen und kann nicht verkauft werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="139" />
      <source>Top up</source>
      <translation>Aufladen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="139" />
      <source>Top up (Enter)</source>
      <translation>Aufladen (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="141" />
      <source>Amount to add</source>
      <translation>Aufzuladender Betrag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="141" />
      <source>e.g. 20.00</source>
      <translation>z. B. 20.00</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="142" />
      <source>optional, e.g. birthday top-up</source>
      <translation>optional, z. B. Aufladung zum Geburtstag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="147" />
      <source>This card has expired and cannot be topped up.</source>
      <translation>Diese Karte ist abgelaufen und kann nicht aufgeladen werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="169" />
      <source>Correct</source>
      <translation>Korrigieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="169" />
      <source>Correct (Enter)</source>
      <translation>Korrigieren (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="171" />
      <source>Change (- removes, + adds)</source>
      <translation>Änderung (- abziehen, + hinzufügen)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="171" />
      <source>-5.00 or +2.50</source>
      <translation>-5.00 oder +2.50</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="173" />
      <source>required, e.g. counted wrong on 3 May</source>
      <translation>Pflichtfeld, z. B. am 3. Mai falsch gezählt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="178" />
      <source>This card has not been sold yet: sell it with its value instead.</source>
      <translation>Diese Karte wurde noch nicht verkauft: Stattdessen zu ihrem Wert verkaufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="228" />
      <source>Enable</source>
      <translation>Entsperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="239" />
      <source>This card is on hold: resolve its conflict first (Conflicts page).</source>
      <translation>Diese Karte ist in Klärung: Zuerst ihren Konflikt lösen (Seite „Konflikte“).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="244" />
      <source>The card is disabled. Enable it only when it has been found by its owner.</source>
      <translation>Die Karte ist gesperrt. Nur entsperren, wenn der Besitzer sie wiedergefunden hat.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="275" />
      <source>Refund</source>
      <translation>Erstatten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="275" />
      <source>Refund (Enter)</source>
      <translation>Erstatten (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="279" />
      <source>optional, e.g. goods returned</source>
      <translation>optional, z. B. Ware zurückgegeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="293" />
      <source>This card has no redemption left to refund.</source>
      <translation>Diese Karte hat keine Einlösung mehr, die erstattet werden kann.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="299" />
      <location filename="pos_app/ui/manager/card_operations.py" line="331" />
      <source>Pick the redemption to refund in the card's history.</source>
      <translation>Die zu erstattende Einlösung im Kartenverlauf auswählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="301" />
      <source>That redemption has been refunded in full already. Pick another one.</source>
      <translation>Diese Einlösung wurde bereits vollständig erstattet. Bitte eine andere wählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="303" />
      <source>Only a redemption can be refunded. Pick one in the card's history.</source>
      <translation>Nur eine Einlösung kann erstattet werden. Bitte eine im Kartenverlauf wählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="190" />
      <source>Type + to add or - to remove, such as -5.00 or +2.50.</source>
      <translation>+ zum Hinzufügen oder - zum Abziehen eingeben, z. B. -5.00 oder +2.50.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="230" />
      <source>Enable (Enter)</source>
      <translation>Entsperren (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="251" />
      <source>Enable card</source>
      <translation>Karte entsperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="254" />
      <source>Disable card</source>
      <translation>Karte sperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="323" />
      <source>Refund the redemption of {amount} made {when}. Leave the amount empty to refund all of it.</source>
      <translation>Einlösung über {amount} vom {when} erstatten. Betrag leer lassen, um alles zu erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="107" />
      <source>Leave the amount empty to sell the card at its value, {amount}. The customer pays first; it prints a receipt.</source>
      <translation>Betrag leer lassen, um die Karte zu ihrem Wert von {amount} zu verkaufen. Der Kunde zahlt zuerst; ein Beleg wird gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="119" />
      <source>Card {code} activated with {amount}, paid {price}.</source>
      <translation>Karte {code} mit {amount} aktiviert, bezahlt {price}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="159" />
      <source>{amount} added to card {code}. Its balance is now {balance}.</source>
      <translation>{amount} auf Karte {code} aufgeladen. Guthaben jetzt: {balance}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="205" />
      <source>Card {code} corrected by {change}. Its balance is now {balance}.</source>
      <translation>Karte {code} um {change} korrigiert. Guthaben jetzt: {balance}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="261" />
      <source>Card {code} disabled: it can no longer be used.</source>
      <translation>Karte {code} gesperrt: Sie kann nicht mehr verwendet werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="320" />
      <source>Refund part of the redemption of {amount} made {when}: {left} of it is left to refund. Leave the amount empty to refund all that is left.</source>
      <translation>Einen Teil der Einlösung über {amount} vom {when} erstatten: {left} davon können noch erstattet werden. Betrag leer lassen, um alles Übrige zu erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="337" />
      <source>{amount} refunded to card {code}. Its balance is now {balance}.</source>
      <translation>{amount} auf Karte {code} erstattet. Guthaben jetzt: {balance}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="251" />
      <source>Enable card {code} again? It can then be used to pay.</source>
      <translation>Karte {code} wieder entsperren? Dann kann damit bezahlt werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="252" />
      <source>Enable {code}</source>
      <translation>{code} entsperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="254" />
      <source>Disable card {code}? Nobody can pay with it until a manager enables it again.</source>
      <translation>Karte {code} sperren? Niemand kann damit zahlen, bis ein Manager sie wieder entsperrt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="256" />
      <source>Disable {code}</source>
      <translation>{code} sperren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_operations.py" line="260" />
      <source>Card {code} enabled again.</source>
      <translation>Karte {code} wieder entsperrt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_summary.py" line="40" />
      <source>Rules:</source>
      <translation>Regeln:</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_table.py" line="30" />
      <source>Double-click a redemption (or press Enter on it) to refund it.</source>
      <translation>Einlösung doppelklicken (oder darauf Enter drücken), um sie zu erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="61" />
      <source>Leave a field empty to keep it; always say why. The change is kept with the card.</source>
      <translation>Ein leeres Feld bleibt, wie es ist; immer den Grund angeben. Die Änderung wird bei der Karte festgehalten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="124" />
      <source>last day</source>
      <translation>letzter Tag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="124" />
      <source>category</source>
      <translation>Kategorie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="33" />
      <source>Change</source>
      <translation>Ändern</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="33" />
      <source>Change (Enter)</source>
      <translation>Ändern (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="39" />
      <source>Metadata</source>
      <translation>Metadaten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="39" />
      <source>key=value; key2=value2 (key= removes it)</source>
      <translation>schlüssel=wert; schlüssel2=wert2 (schlüssel= entfernt ihn)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="41" />
      <source>required, e.g. the shop was closed for works</source>
      <translation>erforderlich, z. B. Laden wegen Umbau geschlossen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="48" />
      <source>never expires</source>
      <translation>läuft nie ab</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="90" />
      <source>Type a new last day, category or metadata to change.</source>
      <translation>Einen neuen letzten Tag, eine Kategorie oder Metadaten eingeben, die geändert werden sollen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="114" />
      <location filename="pos_app/ui/manager/card_terms_form.py" line="97" />
      <source>Say why the card is changed: the reason is kept with it.</source>
      <translation>Bitte angeben, warum die Karte geändert wird: Der Grund wird bei ihr festgehalten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="50" />
      <source> (- removes it)</source>
      <translation> (- entfernt sie)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="75" />
      <source>Type the last day as YYYY-MM-DD, such as 2027-06-30.</source>
      <translation>Den letzten Tag als JJJJ-MM-TT eingeben, z. B. 2027-06-30.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="84" />
      <source>Type metadata as key=value, separated by ; such as owner=Ann; batch=7.</source>
      <translation>Metadaten als schlüssel=wert eingeben, getrennt durch ; z. B. owner=Ann; batch=7.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="98" />
      <source>This card never expires: there is no expiry to extend.</source>
      <translation>Diese Karte läuft nie ab: Es gibt kein Ablaufdatum zu verlängern.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="99" />
      <source>An extension is a later last day than the card has now.</source>
      <translation>Eine Verlängerung ist ein späterer letzter Tag, als die Karte jetzt hat.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="100" />
      <source>That day is past: the new last day must be to come.</source>
      <translation>Dieser Tag ist vorbei: Der neue letzte Tag muss in der Zukunft liegen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="101" />
      <source>No gift card lasts that long; choose an earlier last day.</source>
      <translation>So lange gilt keine Geschenkkarte; bitte einen früheren letzten Tag wählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="102" />
      <source>A category has at most 200 characters.</source>
      <translation>Eine Kategorie hat höchstens 200 Zeichen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="103" />
      <source>A metadata key is 1 to 64 characters.</source>
      <translation>Ein Metadaten-Schlüssel hat 1 bis 64 Zeichen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="104" />
      <source>That is more metadata than a card may carry.</source>
      <translation>Das sind mehr Metadaten, als eine Karte tragen kann.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="105" />
      <source>That changes nothing on this card.</source>
      <translation>Das ändert an dieser Karte nichts.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="117" />
      <source>Card {code} changed: {fields}.</source>
      <translation>Karte {code} geändert: {fields}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="50" />
      <location filename="pos_app/ui/manager/settings_till.py" line="33" />
      <source>none</source>
      <translation>keine</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_terms_form.py" line="63" />
      <source>{when}: {fields} — {reason}</source>
      <translation>{when}: {fields} — {reason}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_text.py" line="24" />
      <source>Confirmed</source>
      <translation>Bestätigt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_text.py" line="25" />
      <source>Provisional (offline)</source>
      <translation>Vorläufig (offline)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_text.py" line="23" />
      <source>Recorded here</source>
      <translation>Hier erfasst</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/card_text.py" line="23" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="121" />
      <source>Not synced yet</source>
      <translation>Noch nicht synchronisiert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="78" />
      <source>Show card (Enter)</source>
      <translation>Karte anzeigen (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="123" />
      <source>&amp;Card</source>
      <translation>&amp;Karte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="147" />
      <source>History (double-click a redemption to refund it)</source>
      <translation>Verlauf (Einlösung doppelklicken, um sie zu erstatten)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="318" />
      <source>Nothing was changed.</source>
      <translation>Es wurde nichts geändert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="363" />
      <location filename="pos_app/ui/status_bar.py" line="68" />
      <source>Printer: none set up</source>
      <translation>Drucker: keiner eingerichtet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="367" />
      <source>Printer: the receipt did not print</source>
      <translation>Drucker: Beleg nicht gedruckt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="206" />
      <source>{what}
Ctrl+{n}</source>
      <translation>{what}
Strg+{n}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/cards_page.py" line="209" />
      <source>Ctrl+{n}</source>
      <translation>Ctrl+{n}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="33" />
      <source>Resolve</source>
      <translation>Lösen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="42" />
      <source>e.g. 20.00, or -5.00 to take off</source>
      <translation>z. B. 20.00 oder -5.00 zum Abziehen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="45" />
      <source>Required: what happened, e.g. customer paid €20 in cash</source>
      <translation>Pflicht: was geschah, z. B. Kunde zahlte 20 € bar</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="46" />
      <source>Disable the card (lost, stolen or misused)</source>
      <translation>Karte sperren (verloren, gestohlen oder missbraucht)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="47" />
      <source>Resolve (Ctrl+Enter)</source>
      <translation>Lösen (Strg+Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="53" />
      <source>How</source>
      <translation>Wie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="113" />
      <source>Sending to the central server…</source>
      <translation>Wird an den Zentralserver gesendet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="145" />
      <source>Resolve the conflict</source>
      <translation>Konflikt lösen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="155" />
      <source>Resolved. The card is released at the till's next sync.</source>
      <translation>Gelöst. Die Karte wird bei der nächsten Synchronisierung der Kasse freigegeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="38" />
      <source>Customer pays the difference</source>
      <translation>Kunde zahlt die Differenz</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="38" />
      <source>Shop writes it off</source>
      <translation>Geschäft schreibt es ab</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="39" />
      <source>Correct by an amount</source>
      <translation>Um einen Betrag korrigieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="103" />
      <source>Write the reason: it stays on the card's record.</source>
      <translation>Grund eingeben: Er bleibt im Kartenverlauf gespeichert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="144" />
      <source>The card will be disabled.</source>
      <translation>Die Karte wird gesperrt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="135" />
      <source>Correct card {card} by {amount}?</source>
      <translation>Karte {card} um {amount} korrigieren?</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="98" />
      <source>Enter the amount to correct by, such as 20.00, or -5.00 to take off.</source>
      <translation>Korrekturbetrag eingeben, z. B. 20.00 oder -5.00 zum Abziehen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="138" />
      <source>Write off {amount} on card {card}? The shop bears the loss.</source>
      <translation>{amount} auf Karte {card} abschreiben? Das Geschäft trägt den Verlust.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="141" />
      <source>Has the customer paid {amount} for card {card}?</source>
      <translation>Hat der Kunde {amount} für Karte {card} bezahlt?</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="160" />
      <source>Only a manager of head office can resolve a conflict. Log in as one.</source>
      <translation>Nur ein Manager der Zentrale kann einen Konflikt lösen. Bitte als solcher anmelden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_resolve.py" line="161" />
      <source>That amount would leave the card below zero; correct by at least the overdraft.</source>
      <translation>Mit diesem Betrag wäre die Karte im Minus; mindestens um den Fehlbetrag korrigieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="26" />
      <location filename="pos_app/ui/manager/conflicts_page.py" line="40" />
      <source>Open</source>
      <translation>Offen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="28" />
      <location filename="pos_app/ui/manager/conflicts_page.py" line="40" />
      <source>Resolved</source>
      <translation>Gelöst</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="19" />
      <source>Customer paid the difference</source>
      <translation>Kunde hat die Differenz bezahlt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="19" />
      <source>Shop wrote it off</source>
      <translation>Geschäft hat es abgeschrieben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="20" />
      <source>Corrected by an amount</source>
      <translation>Um einen Betrag korrigiert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="27" />
      <source>Customer paid</source>
      <translation>Kunde hat bezahlt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="27" />
      <source>Written off</source>
      <translation>Abgeschrieben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="34" />
      <source>Overdraft</source>
      <translation>Fehlbetrag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="37" />
      <source>Opened</source>
      <translation>Eröffnet</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="38" />
      <source>Entries</source>
      <translation>Buchungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflict_table.py" line="39" />
      <source>Notes</source>
      <translation>Notizen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="44" />
      <source>Conflicts</source>
      <translation>Konflikte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="40" />
      <source>All</source>
      <translation>Alle</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="51" />
      <source>Sync conflicts</source>
      <translation>Sync-Konflikte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="54" />
      <source>This till works on its own; conflicts arise only between tills synced with a central server.</source>
      <translation>Diese Kasse arbeitet eigenständig; Konflikte entstehen nur zwischen Kassen, die mit einem Zentralserver synchronisiert werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="93" />
      <source>Retry</source>
      <translation>Erneut versuchen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="115" />
      <location filename="pos_app/ui/manager/conflicts_page.py" line="199" />
      <source>Select a conflict to see what happened and to resolve it.</source>
      <translation>Einen Konflikt auswählen, um zu sehen, was passiert ist, und ihn zu lösen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="162" />
      <source>Asking the central server…</source>
      <translation>Zentralserver wird gefragt…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="216" />
      <source>The card is released here as the till syncs now.</source>
      <translation>Die Karte wird hier freigegeben, während die Kasse jetzt synchronisiert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="218" />
      <source>The card is released here at the till's next sync.</source>
      <translation>Die Karte wird hier bei der nächsten Synchronisierung der Kasse freigegeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="220" />
      <source>Conflict resolved.</source>
      <translation>Konflikt gelöst.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="82" />
      <source>Show</source>
      <translation>Anzeigen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="177" />
      <source>No conflicts: every card adds up.</source>
      <translation>Keine Konflikte: Alle Karten stimmen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="205" />
      <source>Offline sales at more than one till took more than the card held.</source>
      <translation>Offline-Verkäufe an mehreren Kassen haben mehr abgebucht, als auf der Karte war.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="202" />
      <source>Card {code}, opened {when}.</source>
      <translation>Karte {code}, eröffnet {when}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="204" />
      <source>Entries in it: {n}. Every one stays on the card's record.</source>
      <translation>Buchungen darin: {n}. Jede bleibt im Kartenverlauf gespeichert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="219" />
      <source>Conflict resolved. {after}</source>
      <translation>Konflikt gelöst. {after}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="175" />
      <source>{n} shown</source>
      <translation>{n} angezeigt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/conflicts_page.py" line="207" />
      <source>Resolved {when}: {how}. Reason: {why}</source>
      <translation>Gelöst {when}: {how}. Grund: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="71" />
      <location filename="pos_app/ui/manager/customers_page.py" line="122" />
      <source>Customers</source>
      <translation>Kunden</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="79" />
      <source>Part of a name, e-mail address or phone number</source>
      <translation>Teil eines Namens, einer E-Mail-Adresse oder Telefonnummer</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="83" />
      <location filename="pos_app/ui/manager/search_page.py" line="71" />
      <source>Search (Enter)</source>
      <translation>Suchen (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="89" />
      <location filename="pos_app/ui/manager/customers_page.py" line="168" />
      <source>Find a customer by part of their name, e-mail address or phone number.</source>
      <translation>Finden Sie einen Kunden über einen Teil seines Namens, seiner E-Mail-Adresse oder Telefonnummer.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="99" />
      <source>scan the card or type its code</source>
      <translation>Karte scannen oder Code eingeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="100" />
      <source>the shop's id for the customer</source>
      <translation>Kundennummer des Geschäfts</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="101" />
      <source>new, or to change it</source>
      <translation>neu, oder zum Ändern</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="102" />
      <source>optional</source>
      <translation>optional</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="103" />
      <source>optional, e.g. 0171 2345678</source>
      <translation>optional, z. B. 0171 2345678</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="104" />
      <source>Give the card (Ctrl+G)</source>
      <translation>Karte zuordnen (Strg+G)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="127" />
      <source>Give a card to a customer</source>
      <translation>Karte einem Kunden zuordnen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="187" />
      <location filename="pos_app/ui/manager/search_page.py" line="167" />
      <source>Searching…</source>
      <translation>Suche läuft…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="249" />
      <source>Giving the card…</source>
      <translation>Karte wird zugeordnet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="51" />
      <location filename="pos_app/ui/manager/customers_page.py" line="129" />
      <source>Customer id</source>
      <translation>Kundennummer</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="52" />
      <location filename="pos_app/ui/manager/customers_page.py" line="130" />
      <source>E-mail</source>
      <translation>E-Mail</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="53" />
      <location filename="pos_app/ui/manager/customers_page.py" line="131" />
      <source>Phone</source>
      <translation>Telefon</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="61" />
      <location filename="pos_app/ui/manager/search_results.py" line="68" />
      <source>Code</source>
      <translation>Code</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="65" />
      <source>Loaded</source>
      <translation>Aufgeladen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="206" />
      <source>1 customer found.</source>
      <translation>1 Kunde gefunden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="243" />
      <source>Type the card's code and the customer's id first.</source>
      <translation>Geben Sie zuerst den Code der Karte und die Kundennummer ein.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="234" />
      <source>Cards of {name}</source>
      <translation>Karten von {name}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="204" />
      <source>No customer matches “{text}”.</source>
      <translation>Kein Kunde passt zu „{text}“.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="206" />
      <source>{n} customers found.</source>
      <translation>{n} Kunden gefunden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/customers_page.py" line="257" />
      <source>Card {code} now belongs to {name}.</source>
      <translation>Die Karte {code} gehört jetzt {name}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="59" />
      <source>Files</source>
      <translation>Dateien</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="51" />
      <source>Where</source>
      <translation>Wo</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="52" />
      <source>Problem</source>
      <translation>Problem</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="54" />
      <source>Details</source>
      <translation>Einzelheiten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="68" />
      <source>Import and export</source>
      <translation>Import und Export</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="72" />
      <source>Import cards from a file… (Ctrl+O)</source>
      <translation>Karten aus einer Datei importieren… (Strg+O)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="75" />
      <source>Ctrl+O</source>
      <translation>Ctrl+O</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="76" />
      <source>Import cards from a file</source>
      <translation>Karten aus einer Datei importieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="78" />
      <source>A CSV or JSON file of cards, with the columns of our export or of Voucherify's. Every line is checked first: if one is wrong, nothing is imported.</source>
      <translation>Eine CSV- oder JSON-Datei mit Karten, mit den Spalten unseres Exports oder denen von Voucherify. Zuerst wird jede Zeile geprüft: Ist eine falsch, wird nichts importiert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="84" />
      <source>Import progress</source>
      <translation>Fortschritt des Imports</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="93" />
      <source>Problems in the import file</source>
      <translation>Probleme in der Importdatei</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="98" />
      <source>Import</source>
      <translation>Import</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="109" />
      <source>Export the whole store… (Ctrl+E)</source>
      <translation>Den ganzen Bestand exportieren… (Strg+E)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="111" />
      <source>Ctrl+E</source>
      <translation>Ctrl+E</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="112" />
      <source>Export the whole store</source>
      <translation>Den ganzen Bestand exportieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="114" />
      <source>Three CSV files into a folder you choose: every card, every transaction and every redemption, with whole codes (keep them safe).</source>
      <translation>Drei CSV-Dateien in einen Ordner Ihrer Wahl: jede Karte, jede Buchung und jede Einlösung, mit ganzen Codes (sicher aufbewahren).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="123" />
      <source>Export</source>
      <translation>Export</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="144" />
      <source>Import cards</source>
      <translation>Karten importieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="145" />
      <source>Card files (*.csv *.json);;All files (*)</source>
      <translation>Kartendateien (*.csv *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="149" />
      <source>Export the whole store into</source>
      <translation>Den ganzen Bestand exportieren nach</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="221" />
      <source>cards</source>
      <translation>Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="221" />
      <source>transactions</source>
      <translation>Buchungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="221" />
      <source>redemptions</source>
      <translation>Einlösungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="226" />
      <source>The whole store was exported.</source>
      <translation>Der ganze Bestand wurde exportiert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="179" />
      <source>Imported from {file}: {cards} cards, {entries} ledger entries, {campaigns} new campaigns.</source>
      <translation>Aus {file} importiert: {cards} Karten, {entries} Buchungen, {campaigns} neue Kampagnen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="191" />
      <source>One problem in the file; nothing was imported. Correct this line and import the file again:</source>
      <translation>Ein Problem in der Datei; nichts wurde importiert. Korrigieren Sie diese Zeile und importieren Sie die Datei erneut:</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="224" />
      <source>Exported to {folder}: {files}.</source>
      <translation>Exportiert nach {folder}: {files}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="51" />
      <source>item</source>
      <translation>Eintrag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="167" />
      <source>Reading {file}…</source>
      <translation>{file} wird gelesen…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="222" />
      <source>{rows} {what} in {file}</source>
      <translation>{rows} {what} in {file}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="230" />
      <source>The export could not be written: {why}</source>
      <translation>Der Export konnte nicht geschrieben werden: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="183" />
      <source>Columns left out: {columns}.</source>
      <translation>Nicht übernommene Spalten: {columns}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="193" />
      <source>{count} problems in the file; nothing was imported. Correct these lines and import the file again:</source>
      <translation>{count} Probleme in der Datei; nichts wurde importiert. Korrigieren Sie diese Zeilen und importieren Sie die Datei erneut:</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="201" />
      <source>The file cannot be read: {why}</source>
      <translation>Die Datei kann nicht gelesen werden: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="51" />
      <source>line</source>
      <translation>Zeile</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/data_page.py" line="196" />
      <source>(the first {shown} are listed)</source>
      <translation>(die ersten {shown} sind aufgeführt)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="78" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="87" />
      <source>End of day</source>
      <translation>Tagesabschluss</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="40" />
      <source>Whole shop</source>
      <translation>Ganzes Geschäft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="44" />
      <source>{till} · {name}</source>
      <translation>{till} · {name}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="56" />
      <source>Till and cashier</source>
      <translation>Kasse und Kassierer</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="57" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="120" />
      <source>Cards sold</source>
      <translation>Verkaufte Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="58" />
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="120" />
      <source>Takings</source>
      <translation>Einnahmen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="60" />
      <source>Top-ups</source>
      <translation>Aufladungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="63" />
      <source>Corrections</source>
      <translation>Korrekturen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="64" />
      <source>Not synced</source>
      <translation>Nicht synchronisiert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="100" />
      <source>Print (Ctrl+P)</source>
      <translation>Drucken (Strg+P)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="104" />
      <source>Export CSV…</source>
      <translation>CSV exportieren…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="112" />
      <location filename="pos_app/ui/manager/report_tables.py" line="58" />
      <source>Day</source>
      <translation>Tag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="193" />
      <source>Export the end of day</source>
      <translation>Tagesabschluss exportieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="194" />
      <location filename="pos_app/ui/manager/search_page.py" line="259" />
      <source>CSV files (*.csv)</source>
      <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="41" />
      <location filename="pos_app/ui/manager/report_tables.py" line="33" />
      <source>Till {id}</source>
      <translation>Kasse {id}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="175" />
      <source>Nothing was sold, redeemed or changed on this day.</source>
      <translation>An diesem Tag wurde nichts verkauft, eingelöst oder geändert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="176" />
      <source>Takings are what customers paid for the cards sold (a promotion price included).</source>
      <translation>Einnahmen sind, was Kunden für die verkauften Karten bezahlt haben (Aktionspreise eingeschlossen).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="186" />
      <source>The end-of-day report was printed.</source>
      <translation>Der Tagesabschluss wurde gedruckt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/end_of_day_page.py" line="204" />
      <source>Wrote {rows} rows to {file}.</source>
      <translation>{rows} Zeilen in {file} geschrieben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="33" />
      <source>Unknown till</source>
      <translation>Unbekannte Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="44" />
      <location filename="pos_app/ui/manager/search_results.py" line="75" />
      <source>Campaign</source>
      <translation>Kampagne</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="49" />
      <location filename="pos_app/ui/manager/reports_page.py" line="287" />
      <source>Issued</source>
      <translation>Ausgegeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="52" />
      <source>Outstanding</source>
      <translation>Offen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="60" />
      <location filename="pos_app/ui/manager/report_tables.py" line="70" />
      <location filename="pos_app/ui/manager/reports_page.py" line="139" />
      <source>Redemptions</source>
      <translation>Einlösungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="63" />
      <location filename="pos_app/ui/manager/report_tables.py" line="73" />
      <source>Net</source>
      <translation>Netto</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="44" />
      <source>Cards without a campaign</source>
      <translation>Karten ohne Kampagne</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/report_tables.py" line="48" />
      <source>Cards sold and usable now</source>
      <translation>Verkaufte, jetzt nutzbare Karten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="85" />
      <location filename="pos_app/ui/manager/reports_page.py" line="100" />
      <source>Reports</source>
      <translation>Berichte</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="51" />
      <source>&amp;Today</source>
      <translation>&amp;Heute</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="52" />
      <source>Last &amp;7 days</source>
      <translation>Letzte &amp;7 Tage</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="53" />
      <source>Last 3&amp;0 days</source>
      <translation>Letzte 3&amp;0 Tage</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="54" />
      <source>This &amp;month</source>
      <translation>Dieser &amp;Monat</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="186" />
      <source>Redemptions per day</source>
      <translation>Einlösungen pro Tag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="188" />
      <source>Redemptions per till</source>
      <translation>Einlösungen pro Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="250" />
      <source>The figures do not add up: what was loaded onto cards differs from what is outstanding plus what was redeemed. Run a ledger check and call support.</source>
      <translation>Die Zahlen stimmen nicht: Das auf Karten geladene Guthaben weicht vom offenen Guthaben plus Einlösungen ab. Journal prüfen lassen und den Support anrufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="127" />
      <source>Outstanding on gift cards</source>
      <translation>Offenes Guthaben auf Geschenkkarten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="185" />
      <location filename="pos_app/ui/manager/reports_page.py" line="187" />
      <source>No redemptions in this period</source>
      <translation>Keine Einlösungen in diesem Zeitraum</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="193" />
      <source>Per day</source>
      <translation>Pro Tag</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="194" />
      <source>Per till</source>
      <translation>Pro Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="267" />
      <source>No redemptions in this period.</source>
      <translation>Keine Einlösungen in diesem Zeitraum.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="268" />
      <source>As of {time}</source>
      <translation>Stand: {time}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="284" />
      <source>Outstanding balance</source>
      <translation>Offenes Guthaben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="288" />
      <source>Redeemed, net of refunds</source>
      <translation>Eingelöst abzüglich Erstattungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="285" />
      <source>{cards} ({active} sold)</source>
      <translation>{cards} ({active} verkauft)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/reports_page.py" line="263" />
      <source>{count} redemptions, {amount} redeemed, {refunded} refunded</source>
      <translation>Einlösungen: {count}, eingelöst: {amount}, erstattet: {refunded}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="99" />
      <source>Customer's {name}</source>
      <translation>{name} des Kunden</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="99" />
      <source>Order's {name}</source>
      <translation>{name} der Bestellung</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="95" />
      <source>Once per customer</source>
      <translation>Einmal je Kunde</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="102" />
      <location filename="pos_app/ui/manager/rule_text.py" line="102" />
      <source>{subject} is {values}</source>
      <translation>{subject} ist {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="103" />
      <source>{subject} is not {values}</source>
      <translation>{subject} ist nicht {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="103" />
      <source>{subject} contains {values}</source>
      <translation>{subject} enthält {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="104" />
      <source>{subject} starts with {values}</source>
      <translation>{subject} beginnt mit {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="104" />
      <source>{subject} ends with {values}</source>
      <translation>{subject} endet mit {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="105" />
      <source>{subject} is over {values}</source>
      <translation>{subject} ist über {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="105" />
      <source>{subject} is at least {values}</source>
      <translation>{subject} ist mindestens {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="106" />
      <source>{subject} is under {values}</source>
      <translation>{subject} ist unter {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="106" />
      <source>{subject} is at most {values}</source>
      <translation>{subject} ist höchstens {values}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="98" />
      <source>Uses per customer: {rule} {count}</source>
      <translation>Einlösungen je Kunde: {rule} {count}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="46" />
      <source> or </source>
      <translation> oder </translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="72" />
      <source>from {time}</source>
      <translation>ab {time}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="72" />
      <source>until {time}</source>
      <translation>bis {time}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="75" />
      <source>not on {days}</source>
      <translation>nicht am {days}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="90" />
      <source>Only on orders of {amount}</source>
      <translation>Nur bei Einkäufen von {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="97" />
      <source>At most {count} times per customer</source>
      <translation>Höchstens {count}-mal je Kunde</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="85" />
      <source>Only on orders of at least {amount}</source>
      <translation>Nur bei Einkäufen ab {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="86" />
      <source>Only on orders over {amount}</source>
      <translation>Nur bei Einkäufen über {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="87" />
      <source>Only on orders under {amount}</source>
      <translation>Nur bei Einkäufen unter {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="88" />
      <source>Only on orders of at most {amount}</source>
      <translation>Nur bei Einkäufen bis {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/rule_text.py" line="89" />
      <source>Not on orders of {amount}</source>
      <translation>Nicht bei Einkäufen von {amount}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/screen.py" line="106" />
      <location filename="pos_app/ui/manager/settings_page.py" line="70" />
      <source>Open Cards (Alt+1) or the till (F8) to use a scanned card.</source>
      <translation>„Karten“ (Alt+1) oder die Kasse (F8) öffnen, um eine gescannte Karte zu verwenden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/screen.py" line="58" />
      <source>Alt+{n}</source>
      <translation>Alt+{n}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="53" />
      <source>Search</source>
      <translation>Suche</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="67" />
      <source>Part of a card code, e.g. 7XZP</source>
      <translation>Teil eines Kartencodes, z. B. 7XZP</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="77" />
      <location filename="pos_app/ui/manager/search_page.py" line="149" />
      <location filename="pos_app/ui/manager/search_page.py" line="163" />
      <source>Type part of a card's code to find it.</source>
      <translation>Einen Teil des Kartencodes eingeben, um die Karte zu finden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="84" />
      <source>Open in Cards (Ctrl+O)</source>
      <translation>In „Karten“ öffnen (Strg+O)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="87" />
      <source>Export CSV… (Ctrl+E)</source>
      <translation>CSV exportieren… (Strg+E)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="89" />
      <location filename="pos_app/ui/manager/search_page.py" line="233" />
      <source>History</source>
      <translation>Verlauf</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="112" />
      <source>Search cards</source>
      <translation>Karten suchen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="258" />
      <source>Export the card's history</source>
      <translation>Kartenverlauf exportieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="192" />
      <source>1 card found.</source>
      <translation>1 Karte gefunden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="184" />
      <source>No card's code contains “{text}”. Check what you typed.</source>
      <translation>Kein Kartencode enthält „{text}“. Bitte Eingabe prüfen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="189" />
      <source>The first {n} cards containing “{text}”: type more of the code to narrow it down.</source>
      <translation>Die ersten {n} Karten mit „{text}“: Mehr vom Code eingeben, um die Suche einzugrenzen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="235" />
      <source>History of {code} ({n} entries)</source>
      <translation>Verlauf von {code} (Buchungen: {n})</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="192" />
      <source>{n} cards found.</source>
      <translation>{n} Karten gefunden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="274" />
      <source>The file could not be written: {why}</source>
      <translation>Die Datei konnte nicht geschrieben werden: {why}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_page.py" line="273" />
      <source>{n} entries written to {path}.</source>
      <translation>{n} Buchung(en) in {path} gespeichert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_results.py" line="65" />
      <location filename="pos_app/ui/status_bar.py" line="26" />
      <source>never</source>
      <translation>nie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_results.py" line="72" />
      <source>Initial value</source>
      <translation>Anfangswert</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/search_results.py" line="74" />
      <source>Expires</source>
      <translation>Läuft ab</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="78" />
      <location filename="pos_app/ui/manager/settings_camera.py" line="82" />
      <location filename="pos_app/ui/manager/settings_camera.py" line="86" />
      <source>Camera</source>
      <translation>Kamera</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="82" />
      <source>A webcam reads the cards' QR codes and barcodes; a USB scanner works with or without one.</source>
      <translation>Eine Webcam liest die QR-Codes und Barcodes der Karten; ein USB-Scanner funktioniert mit oder ohne sie.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="85" />
      <source>empty: no camera</source>
      <translation>leer: keine Kamera</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="89" />
      <location filename="pos_app/ui/manager/settings_limits.py" line="50" />
      <location filename="pos_app/ui/manager/settings_printer.py" line="47" />
      <source>Save</source>
      <translation>Speichern</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="90" />
      <source>Test camera</source>
      <translation>Kamera testen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="91" />
      <source>Stop</source>
      <translation>Stopp</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="94" />
      <source>The picture appears here during a test.</source>
      <translation>Das Bild erscheint hier während eines Tests.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="49" />
      <source>Read</source>
      <translation>Gelesen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="86" />
      <source>Empty: no camera (a USB scanner only) · 0: the first webcam, 1: the second · or the path of a picture, a folder of pictures or a video.</source>
      <translation>Leer: keine Kamera (nur USB-Scanner) · 0: die erste Webcam, 1: die zweite · oder der Pfad zu einem Bild, einem Bilderordner oder einem Video.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="133" />
      <source>Enter a camera first: 0 for the first webcam, or a folder of pictures.</source>
      <translation>Zuerst eine Kamera eingeben: 0 für die erste Webcam oder einen Bilderordner.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="200" />
      <source>The camera gives no picture; trying again…</source>
      <translation>Die Kamera liefert kein Bild; neuer Versuch…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="151" />
      <source>Testing for {n} seconds: hold a card in front of the camera.</source>
      <translation>Test läuft {n} Sekunden: Eine Karte vor die Kamera halten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="164" />
      <source>The test has ended: {n} read.</source>
      <translation>Der Test ist beendet: {n} gelesen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="189" />
      <source>Read {code}: the camera works.</source>
      <translation>{code} gelesen: Die Kamera funktioniert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="193" />
      <source>not a gift card code</source>
      <translation>kein Geschenkkarten-Code</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="204" />
      <source>The camera {spec} could not be opened. Check that it is plugged in and not in use by another program.</source>
      <translation>Die Kamera {spec} konnte nicht geöffnet werden. Prüfen, ob sie angeschlossen ist und nicht von einem anderen Programm verwendet wird.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_camera.py" line="207" />
      <source>“{spec}” is not a camera, a picture, a folder of pictures or a video.</source>
      <translation>„{spec}“ ist weder eine Kamera noch ein Bild, ein Bilderordner oder ein Video.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_common.py" line="142" />
      <source>Saved.</source>
      <translation>Gespeichert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_common.py" line="120" />
      <source>{text} ({keys})</source>
      <translation>{text} ({keys})</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="31" />
      <location filename="pos_app/ui/manager/settings_limits.py" line="35" />
      <source>Offline limits</source>
      <translation>Offline-Limits</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="106" />
      <source> h</source>
      <translation> h</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="35" />
      <source>While the central server does not answer, the till accepts gift cards only within these limits.</source>
      <translation>Solange der Zentralserver nicht antwortet, akzeptiert die Kasse Geschenkkarten nur innerhalb dieser Limits.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="45" />
      <source>Most hours without the server</source>
      <translation>Max. Stunden ohne Server</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="46" />
      <source>Oldest card balance trusted (hours)</source>
      <translation>Max. Alter des Kartenguthabens (Stunden)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="47" />
      <source>Head office sets these limits on the central server; they arrive with each sync.</source>
      <translation>Die Zentrale legt diese Limits auf dem Zentralserver fest; sie kommen mit jeder Synchronisierung an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="90" />
      <source>One redemption cannot be more than the till may take in all.</source>
      <translation>Eine einzelne Einlösung darf nicht höher sein als der Gesamtbetrag, den die Kasse annehmen darf.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="42" />
      <source>Most per redemption ({currency})</source>
      <translation>Max. pro Einlösung ({currency})</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="43" />
      <source>Most in all until the till syncs ({currency})</source>
      <translation>Max. insgesamt bis zur Synchronisierung ({currency})</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_limits.py" line="84" />
      <source>Enter an amount greater than zero, such as 100.00.</source>
      <translation>Einen Betrag größer als null eingeben, z. B. 100.00.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_page.py" line="25" />
      <source>Settings</source>
      <translation>Einstellungen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="24" />
      <source>Printer</source>
      <translation>Drucker</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="28" />
      <source>Receipt printer</source>
      <translation>Belegdrucker</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="28" />
      <source>Receipts print after each sale; a sale never waits for or fails over the printer.</source>
      <translation>Belege werden nach jedem Verkauf gedruckt; ein Verkauf wartet nie auf den Drucker und scheitert nie an ihm.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="33" />
      <source>default, or a model such as TM-T20II</source>
      <translation>default oder ein Modell wie TM-T20II</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="35" />
      <source>80 mm</source>
      <translation>80 mm</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="36" />
      <source>58 mm</source>
      <translation>58 mm</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="37" />
      <source>Address, phone… one per line</source>
      <translation>Adresse, Telefon… eine Angabe pro Zeile</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="38" />
      <source>Thank you for shopping with us… one per line</source>
      <translation>Vielen Dank für Ihren Einkauf… eine Angabe pro Zeile</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="39" />
      <source>Printer address</source>
      <translation>Druckeradresse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="42" />
      <source>Printer model</source>
      <translation>Druckermodell</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="43" />
      <source>Paper width</source>
      <translation>Papierbreite</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="44" />
      <source>Lines under the shop's name</source>
      <translation>Zeilen unter dem Geschäftsnamen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="45" />
      <source>Lines at the foot</source>
      <translation>Zeilen am Fuß</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="48" />
      <source>Print a test page</source>
      <translation>Testseite drucken</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="88" />
      <source>Sending a test page…</source>
      <translation>Testseite wird gesendet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="96" />
      <source>Printer: ready</source>
      <translation>Drucker: bereit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="114" />
      <source>The printer address is not understood. Use one of the forms shown under it.</source>
      <translation>Die Druckeradresse ist unverständlich. Eine der darunter gezeigten Formen verwenden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="116" />
      <source>That printer model is not known. Leave “default”, or type a model such as TM-T20II.</source>
      <translation>Dieses Druckermodell ist unbekannt. „default“ lassen oder ein Modell wie TM-T20II eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="94" />
      <source>The printer took the test page ({where}). Check that it reads “PRINTER TEST”.</source>
      <translation>Der Drucker hat die Testseite angenommen ({where}). Prüfen, ob „PRINTER TEST“ darauf steht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="39" />
      <source>Empty: no receipt printer. A network printer, USB, serial port, file or print queue:</source>
      <translation>Leer: kein Belegdrucker. Netzwerkdrucker, USB, serielle Schnittstelle, Datei oder Druckwarteschlange:</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="45" />
      <source>At most {n} lines of {chars} characters each.</source>
      <translation>Höchstens {n} Zeilen mit je {chars} Zeichen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_printer.py" line="118" />
      <source>Too many lines, or a line too long: at most {n} lines of {chars} characters.</source>
      <translation>Zu viele Zeilen oder eine Zeile zu lang: höchstens {n} Zeilen mit je {chars} Zeichen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="54" />
      <source>Server</source>
      <translation>Server</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="33" />
      <source>The server does not know that enrolment code. Check it, or make a new one on the server (pos-server device enrol-code).</source>
      <translation>Der Server kennt diesen Registrierungscode nicht. Code prüfen oder auf dem Server einen neuen erstellen (pos-server device enrol-code).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="35" />
      <source>That enrolment code has been used already. Make a new one on the server.</source>
      <translation>Dieser Registrierungscode wurde bereits verwendet. Auf dem Server einen neuen erstellen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="36" />
      <source>That enrolment code has expired (codes last 24 hours). Make a new one.</source>
      <translation>Dieser Registrierungscode ist abgelaufen (Codes gelten 24 Stunden). Einen neuen erstellen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="37" />
      <source>This till already has sales of its own as a standalone shop, so it cannot join a server. Set up a new till to enrol instead.</source>
      <translation>Diese Kasse hat als eigenständiges Geschäft bereits eigene Verkäufe und kann daher keinem Server beitreten. Stattdessen eine neue Kasse einrichten und registrieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="39" />
      <source>Nothing answers at that address. Check the server's address and that this till is connected.</source>
      <translation>Unter dieser Adresse antwortet nichts. Serveradresse prüfen und ob diese Kasse verbunden ist.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="41" />
      <source>Check the enrolment code and the till's name: both are needed.</source>
      <translation>Registrierungscode und Namen der Kasse prüfen: Beide sind erforderlich.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="58" />
      <source>Server and enrolment</source>
      <translation>Server und Registrierung</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="66" />
      <source>e.g. ABCD-EFGH-JKLM</source>
      <translation>z. B. ABCD-EFGH-JKLM</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="69" />
      <source>Ask head office for a one-time enrolment code (pos-server device enrol-code). A till that already has sales of its own cannot join.</source>
      <translation>Bei der Zentrale einen einmaligen Registrierungscode anfordern (pos-server device enrol-code). Eine Kasse mit eigenen Verkäufen kann nicht beitreten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="71" />
      <source>Server address</source>
      <translation>Serveradresse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="72" />
      <source>Enrolment code</source>
      <translation>Registrierungscode</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="73" />
      <source>This till's name</source>
      <translation>Name dieser Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="75" />
      <source>Enrol this till</source>
      <translation>Diese Kasse registrieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="76" />
      <source>Sync now</source>
      <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="113" />
      <source>This till works on its own (standalone): its store is the authority and no server is needed. To make it one of a chain's tills, enrol it below.</source>
      <translation>Diese Kasse arbeitet eigenständig: Ihr Datenbestand ist maßgeblich, ein Server ist nicht nötig. Um sie in die Kassen einer Kette aufzunehmen, unten registrieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="127" />
      <source>Enrolment code scanned. Check the server address and the till's name, then enrol.</source>
      <translation>Registrierungscode gescannt. Serveradresse und Namen der Kasse prüfen, dann registrieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="144" />
      <source>Enrolling… the server is asked, then the first sync runs.</source>
      <translation>Registrierung läuft… Der Server wird gefragt, dann startet die erste Synchronisierung.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="166" />
      <source>The till now syncs in the background.</source>
      <translation>Die Kasse synchronisiert jetzt im Hintergrund.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="168" />
      <source>Restart the till to start syncing in the background.</source>
      <translation>Kasse neu starten, um die Synchronisierung im Hintergrund zu starten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="171" />
      <source>Enrolled. The people of head office log in from now on: enter your PIN.</source>
      <translation>Registriert. Ab jetzt gelten die Benutzer der Zentrale: PIN eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="184" />
      <source>Syncing…</source>
      <translation>Synchronisierung läuft…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="109" />
      <source>The last sync did not finish; the till keeps trying.</source>
      <translation>Die letzte Synchronisierung wurde nicht abgeschlossen; die Kasse versucht es weiter.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="123" />
      <source>This till is enrolled already: a scanned enrolment code is not needed.</source>
      <translation>Diese Kasse ist bereits registriert: Ein gescannter Registrierungscode wird nicht gebraucht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="133" />
      <source>Enter the server's address, such as http://head-office:8000.</source>
      <translation>Serveradresse eingeben, z. B. http://head-office:8000.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="137" />
      <source>Enter the enrolment code from head office.</source>
      <translation>Registrierungscode der Zentrale eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="140" />
      <source>Give this till a name, such as “Till 1”, so head office knows which it is.</source>
      <translation>Dieser Kasse einen Namen geben, z. B. „Kasse 1“, damit die Zentrale sie erkennt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="181" />
      <source>Syncing in the background; the status bar shows when it is done.</source>
      <translation>Synchronisierung im Hintergrund; die Statusleiste zeigt, wann sie fertig ist.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="192" />
      <source>Synced.</source>
      <translation>Synchronisiert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="104" />
      <source>Enrolled to {url} as till {device}.</source>
      <translation>Registriert bei {url} als Kasse {device}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="105" />
      <source>Last sync: {when}.</source>
      <translation>Letzte Synchronisierung: {when}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="169" />
      <source>This till is now enrolled as {device} of “{shop}”. {after}</source>
      <translation>Diese Kasse ist jetzt als {device} von „{shop}“ registriert. {after}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="194" />
      <location filename="pos_app/ui/messages.py" line="73" />
      <source>This till has been removed from the central server. Call head office.</source>
      <translation>Diese Kasse wurde vom Zentralserver entfernt. Bitte die Zentrale anrufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="107" />
      <source>{n} sales wait to go to the server.</source>
      <translation>Verkäufe, die noch an den Server gehen: {n}.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="199" />
      <source>The central server does not answer. The till keeps its sales and sends them later.</source>
      <translation>Der Zentralserver antwortet nicht. Die Kasse behält ihre Verkäufe und sendet sie später.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_server.py" line="196" />
      <source>The central server answers, but this till cannot finish its sync. Call support.</source>
      <translation>Der Zentralserver antwortet, aber diese Kasse kann ihre Synchronisierung nicht abschließen. Rufen Sie den Support an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="27" />
      <location filename="pos_app/ui/manager/settings_shop.py" line="31" />
      <source>Shop</source>
      <translation>Geschäft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="31" />
      <source>How the shop appears on the screen and on receipts.</source>
      <translation>Wie das Geschäft auf dem Bildschirm und auf Belegen erscheint.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="34" />
      <source>The shop's name, as on receipts</source>
      <translation>Name des Geschäfts, wie auf Belegen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="40" />
      <source>How amounts and dates are written, e.g. en_US (12.50) or de_DE (12,50).</source>
      <translation>Schreibweise von Beträgen und Daten, z. B. en_US (12.50) oder de_DE (12,50).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="41" />
      <source>Shop name</source>
      <translation>Geschäftsname</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="42" />
      <source>Currency</source>
      <translation>Währung</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="44" />
      <source>Amounts and dates</source>
      <translation>Beträge und Daten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="48" />
      <source>The shop's time zone, e.g. Europe/Berlin: a card is valid through its last day there, and its hours are the shop's.</source>
      <translation>Die Zeitzone des Geschäfts, z. B. Europe/Berlin: Eine Karte gilt bis zum Ende ihres letzten Tages dort, und ihre Uhrzeiten sind die des Geschäfts.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="50" />
      <source>Time zone</source>
      <translation>Zeitzone</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="51" />
      <source>Cashiers may sell cards</source>
      <translation>Kassierer dürfen Karten verkaufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="53" />
      <source>Selling cards</source>
      <translation>Kartenverkauf</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="55" />
      <source>This till belongs to a central server: head office sets the shop's name and language there, and they arrive with each sync.</source>
      <translation>Diese Kasse gehört zu einem Zentralserver: Die Zentrale legt dort Namen und Sprache des Geschäfts fest, sie kommen mit jeder Synchronisierung an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="42" />
      <source>The currency cannot change: every card and every sale of this shop is in it.</source>
      <translation>Die Währung kann nicht geändert werden: Alle Karten und Verkäufe dieses Geschäfts lauten auf sie.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="53" />
      <source>When ticked, a cashier sells a card at the till (Sell card, F6) without calling a manager.</source>
      <translation>Wenn angehakt, verkauft ein Kassierer eine Karte an der Kasse (Karte verkaufen, F6), ohne einen Manager zu rufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="114" />
      <source>That locale is not known. Use one such as en_US or de_DE.</source>
      <translation>Dieses Gebietsschema ist unbekannt. Eines wie en_US oder de_DE verwenden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="85" />
      <source>Give the shop a name (up to 120 characters).</source>
      <translation>Bitte einen Namen für das Geschäft eingeben (bis zu 120 Zeichen).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_shop.py" line="92" />
      <source>That time zone is not known. Use one such as Europe/Berlin.</source>
      <translation>Diese Zeitzone ist unbekannt. Verwenden Sie eine wie Europe/Berlin.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="22" />
      <location filename="pos_app/ui/manager/settings_till.py" line="26" />
      <source>Scanner</source>
      <translation>Scanner</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="26" />
      <source>A USB scanner types each code like a keyboard; the till recognises it wherever the cursor is.</source>
      <translation>Ein USB-Scanner tippt jeden Code wie eine Tastatur; die Kasse erkennt ihn, egal wo der Cursor steht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="34" />
      <source>none, e.g. /dev/ttyACM0 or COM3</source>
      <translation>keiner, z. B. /dev/ttyACM0 oder COM3</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="36" />
      <source>Suffix</source>
      <translation>Suffix</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="39" />
      <source>Serial scanner port</source>
      <translation>Port des seriellen Scanners</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="71" />
      <source> min</source>
      <translation> min</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="72" />
      <source>Never</source>
      <translation>Nie</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="73" />
      <source>Sounds for a good and a bad scan</source>
      <translation>Töne für gültigen und ungültigen Scan</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="74" />
      <source>Full screen; only a manager's PIN leaves it or closes the till</source>
      <translation>Vollbild; verlassen oder schließen nur mit der PIN eines Managers</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="75" />
      <location filename="pos_app/ui/manager/settings_till.py" line="83" />
      <source>Kiosk mode</source>
      <translation>Kioskmodus</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="77" />
      <source>The system's language</source>
      <translation>Systemsprache</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="80" />
      <source>Lock after</source>
      <translation>Sperren nach</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="82" />
      <source>Sounds</source>
      <translation>Töne</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="85" />
      <source>Language</source>
      <translation>Sprache</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="36" />
      <source>Characters the scanner is set to add before and after each code; the till removes them. Leave both empty for most scanners.</source>
      <translation>Zeichen, die der Scanner vor und nach jedem Code einfügt; die Kasse entfernt sie. Bei den meisten Scannern beide leer lassen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="57" />
      <source>Enter the port as the system names it, such as /dev/ttyACM0 or COM3.</source>
      <translation>Port so eingeben, wie das System ihn nennt, z. B. /dev/ttyACM0 oder COM3.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="80" />
      <source>The till locks itself after this many minutes without use (0: never).</source>
      <translation>Die Kasse sperrt sich nach so vielen Minuten ohne Benutzung (0: nie).</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="83" />
      <source>F11 enters it at any time; pos-app --kiosk starts in it.</source>
      <translation>F11 schaltet ihn jederzeit ein; pos-app --kiosk startet darin.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="85" />
      <source>A new language takes effect at the next start of the till.</source>
      <translation>Eine neue Sprache gilt ab dem nächsten Start der Kasse.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="53" />
      <source>Use printable characters only, such as ] or #.</source>
      <translation>Nur druckbare Zeichen verwenden, z. B. ] oder #.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/manager/settings_till.py" line="104" />
      <source>Saved. The new language takes effect at the next start.</source>
      <translation>Gespeichert. Die neue Sprache gilt ab dem nächsten Start.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="37" />
      <source>This card is not known to the till. Check the code and scan it again.</source>
      <translation>Diese Karte ist der Kasse unbekannt. Code prüfen und erneut scannen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="38" />
      <source>That is not a gift card code. Scan the card again or type its code.</source>
      <translation>Das ist kein Geschenkkarten-Code. Karte erneut scannen oder Code eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="39" />
      <source>Enter an amount greater than zero, such as 12.50.</source>
      <translation>Einen Betrag größer als null eingeben, z. B. 12.50.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="40" />
      <source>Enter the amount first.</source>
      <translation>Zuerst den Betrag eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="41" />
      <source>The card does not have enough on it for this amount.</source>
      <translation>Das Guthaben der Karte reicht für diesen Betrag nicht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="42" />
      <source>This card has expired and cannot be used.</source>
      <translation>Diese Karte ist abgelaufen und kann nicht verwendet werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="43" />
      <source>This card has not been sold yet: it must be sold and activated first.</source>
      <translation>Diese Karte wurde noch nicht verkauft: Sie muss zuerst verkauft und aktiviert werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="44" />
      <source>This card cannot be used at this time.</source>
      <translation>Diese Karte kann zu dieser Zeit nicht verwendet werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="45" />
      <source>This card has been disabled (reported lost or stolen). Do not accept it.</source>
      <translation>Diese Karte ist gesperrt (als verloren oder gestohlen gemeldet). Nicht annehmen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="46" />
      <source>This card is on hold until a manager reviews it. Ask a manager.</source>
      <translation>Diese Karte ist in Klärung, bis ein Manager sie prüft. Bitte einen Manager fragen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="47" />
      <source>This card has been used as many times as it may be.</source>
      <translation>Diese Karte wurde so oft verwendet wie erlaubt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="48" />
      <source>This card's rules do not allow this purchase.</source>
      <translation>Die Regeln dieser Karte erlauben diesen Einkauf nicht.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="49" />
      <source>This card's rules do not allow this customer to use it now.</source>
      <translation>Die Regeln dieser Karte erlauben diesem Kunden jetzt keine Einlösung.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="50" />
      <source>This card is in another currency and cannot be used here.</source>
      <translation>Diese Karte lautet auf eine andere Währung und kann hier nicht verwendet werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="51" />
      <source>A correction needs a reason and an amount other than zero.</source>
      <translation>Eine Korrektur braucht einen Grund und einen Betrag ungleich null.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="52" />
      <source>This redemption has been refunded in full already.</source>
      <translation>Diese Einlösung wurde bereits vollständig erstattet.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="53" />
      <source>This card is already sold and active.</source>
      <translation>Diese Karte ist bereits verkauft und aktiv.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="54" />
      <source>This card belongs to another customer.</source>
      <translation>Diese Karte gehört einem anderen Kunden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="55" />
      <source>That already exists; choose another name.</source>
      <translation>Das gibt es bereits; bitte einen anderen Namen wählen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="56" />
      <source>That PIN is not right. Try again.</source>
      <translation>Diese PIN ist falsch. Bitte erneut versuchen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="57" />
      <source>Too many wrong PINs. Wait a few minutes, or ask a manager.</source>
      <translation>Zu viele falsche PINs. Einige Minuten warten oder einen Manager fragen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="58" />
      <source>Too many codes that match no card were tried. Wait a few minutes before scanning again, or ask a manager.</source>
      <translation>Es wurden zu viele Codes versucht, zu denen es keine Karte gibt. Warten Sie einige Minuten, bevor Sie erneut scannen, oder fragen Sie einen Manager.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="60" />
      <source>Only a manager can do this. Ask a manager to enter their PIN.</source>
      <translation>Nur ein Manager darf das. Einen Manager bitten, seine PIN einzugeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="61" />
      <source>The till is offline and may take only a small amount per card now. Take less, or ask a manager to override.</source>
      <translation>Die Kasse ist offline und darf jetzt nur einen kleinen Betrag pro Karte annehmen. Weniger einlösen oder einen Manager um Freigabe bitten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="63" />
      <source>The till is offline and has taken as much on gift cards as it may. Ask a manager to override.</source>
      <translation>Die Kasse ist offline und hat so viel über Geschenkkarten angenommen wie erlaubt. Einen Manager um Freigabe bitten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="65" />
      <source>The till has been offline too long to accept gift cards. Ask a manager.</source>
      <translation>Die Kasse ist zu lange offline, um Geschenkkarten anzunehmen. Bitte einen Manager fragen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="66" />
      <source>The till is offline and cannot check this card now. Ask a manager.</source>
      <translation>Die Kasse ist offline und kann diese Karte jetzt nicht prüfen. Bitte einen Manager fragen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="67" />
      <source>That is more than head office lets one sale or top-up put on a card.</source>
      <translation>Das ist mehr, als die Zentrale mit einem Verkauf oder einer Aufladung auf eine Karte buchen lässt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="68" />
      <source>That correction is more than you may make. Ask an administrator at head office to make it.</source>
      <translation>Diese Korrektur ist größer, als Sie sie vornehmen dürfen. Bitten Sie eine Administratorin oder einen Administrator der Zentrale darum.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="70" />
      <source>The card would then hold more than head office allows. Put less on it.</source>
      <translation>Die Karte hätte dann mehr Guthaben, als die Zentrale erlaubt. Buchen Sie weniger darauf.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="71" />
      <source>This till has sold and topped up as much as it may today. Call head office.</source>
      <translation>Diese Kasse hat heute so viel verkauft und aufgeladen, wie sie darf. Rufen Sie die Zentrale an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="72" />
      <source>The central server does not know you as an active person here. Call head office.</source>
      <translation>Der Zentralserver kennt Sie hier nicht als aktive Person. Rufen Sie die Zentrale an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="74" />
      <source>This till works on its own; it has no central server to ask.</source>
      <translation>Diese Kasse arbeitet eigenständig; es gibt keinen Zentralserver, der gefragt werden kann.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="75" />
      <source>For this till, that is done at head office on the central server.</source>
      <translation>Bei dieser Kasse geschieht das in der Zentrale auf dem Zentralserver.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="76" />
      <source>The central server does not answer. Try again in a moment.</source>
      <translation>Der Zentralserver antwortet nicht. Gleich noch einmal versuchen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="77" />
      <source>This till has no shop set up yet.</source>
      <translation>Für diese Kasse ist noch kein Geschäft eingerichtet.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="78" />
      <source>No receipt printer is set up at this till.</source>
      <translation>An dieser Kasse ist kein Belegdrucker eingerichtet.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="79" />
      <source>The receipt printer did not print. Check that it is on and has paper.</source>
      <translation>Der Belegdrucker hat nicht gedruckt. Prüfen, ob er eingeschaltet ist und Papier hat.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="80" />
      <source>A refused attempt has no receipt.</source>
      <translation>Ein abgelehnter Versuch hat keinen Beleg.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="81" />
      <source>Those printer settings cannot work; check them.</source>
      <translation>Diese Druckereinstellungen können nicht funktionieren; bitte prüfen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="82" />
      <source>That could not be read. Check what you typed.</source>
      <translation>Das konnte nicht gelesen werden. Bitte Eingabe prüfen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="83" />
      <source>That conflict has been resolved already.</source>
      <translation>Dieser Konflikt wurde bereits gelöst.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="84" />
      <source>The file has errors; nothing was imported.</source>
      <translation>Die Datei enthält Fehler; es wurde nichts importiert.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="85" />
      <source>Those code settings cannot make enough codes; change them.</source>
      <translation>Mit diesen Code-Einstellungen lassen sich nicht genug Codes erzeugen; bitte ändern.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="86" />
      <source>The central server does not accept a setting of that request.</source>
      <translation>Der zentrale Server nimmt eine Einstellung dieser Anfrage nicht an.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="92" />
      <source>Ask a manager to enter their PIN.</source>
      <translation>Einen Manager bitten, seine PIN einzugeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="118" />
      <source>Something went wrong, and nothing was changed. The till has noted the details; try again.</source>
      <translation>Etwas ist schiefgelaufen, es wurde nichts geändert. Die Kasse hat die Details protokolliert; bitte erneut versuchen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="128" />
      <source>That was refused.</source>
      <translation>Das wurde abgelehnt.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="94" />
      <source>Only a manager may check a card's balance here.</source>
      <translation>Nur ein Manager darf hier das Guthaben einer Karte abfragen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="95" />
      <source>Only a manager may take payments with gift cards here.</source>
      <translation>Nur ein Manager darf hier mit Gutscheinkarten bezahlen lassen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="96" />
      <source>Only a manager may refund a redemption here.</source>
      <translation>Nur ein Manager darf hier eine Einlösung erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="97" />
      <source>Only a manager may refund a redemption.</source>
      <translation>Nur ein Manager darf eine Einlösung erstatten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="98" />
      <source>Only a manager may sell gift cards.</source>
      <translation>Nur ein Manager darf Gutscheinkarten verkaufen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="99" />
      <source>Only a manager may top up a card.</source>
      <translation>Nur ein Manager darf eine Karte aufladen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="100" />
      <source>Only a manager may correct a card's balance.</source>
      <translation>Nur ein Manager darf das Guthaben einer Karte korrigieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="101" />
      <source>Only a manager may disable or enable a card.</source>
      <translation>Nur ein Manager darf eine Karte sperren oder entsperren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="102" />
      <source>Only a manager may give a card to a customer.</source>
      <translation>Nur ein Manager darf eine Karte einem Kunden zuordnen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="103" />
      <source>Only a manager may manage campaigns.</source>
      <translation>Nur ein Manager darf Kampagnen verwalten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="104" />
      <source>Only a manager may import or export cards.</source>
      <translation>Nur ein Manager darf Karten importieren oder exportieren.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="105" />
      <source>Only a manager may see reports.</source>
      <translation>Nur ein Manager darf Berichte ansehen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="106" />
      <source>Only a manager may manage the till's people.</source>
      <translation>Nur ein Manager darf die Personen dieser Kasse verwalten.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="107" />
      <source>Only a manager may see whole card codes.</source>
      <translation>Nur ein Manager darf vollständige Kartencodes sehen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="108" />
      <source>Only a manager may override the offline limits.</source>
      <translation>Nur ein Manager darf die Offline-Grenzen übergehen.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="109" />
      <source>Only a manager may change a card's expiry, category or metadata.</source>
      <translation>Nur ein Manager darf Ablaufdatum, Kategorie oder Metadaten einer Karte ändern.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="133" />
      <source>The card does not have enough on it: {balance} left.</source>
      <translation>Das Guthaben der Karte reicht nicht: noch {balance} übrig.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/messages.py" line="136" />
      <source>This card was valid until {date} and cannot be used any more.</source>
      <translation>Diese Karte war bis {date} gültig und kann nicht mehr verwendet werden.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/camera_bridge.py" line="47" />
      <source>Camera: ready</source>
      <translation>Kamera: bereit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/camera_bridge.py" line="129" />
      <source>Camera: not found — use the scanner</source>
      <translation>Kamera: nicht gefunden — Scanner verwenden</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/camera_bridge.py" line="131" />
      <source>Camera: no picture — check the camera; the scanner still works</source>
      <translation>Kamera: kein Bild — Kamera prüfen; der Scanner funktioniert weiter</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/camera_bridge.py" line="133" />
      <source>Camera: stopped — use the scanner</source>
      <translation>Kamera: gestoppt — Scanner verwenden</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/demo_cards.py" line="31" />
      <source>Active, full balance</source>
      <translation>Aktiv, volles Guthaben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/demo_cards.py" line="31" />
      <location filename="pos_app/ui/scan/demo_cards.py" line="41" />
      <source>Partly used</source>
      <translation>Teilweise genutzt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/demo_cards.py" line="32" />
      <source>Disabled (reported lost)</source>
      <translation>Gesperrt (als verloren gemeldet)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/demo_cards.py" line="42" />
      <source>Not sold</source>
      <translation>Nicht verkauft</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/demo_cards.py" line="96" />
      <source>Gift card</source>
      <translation>Gutschein</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/inputs.py" line="93" />
      <source>Camera: starting…</source>
      <translation>Kamera: startet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/inputs.py" line="104" />
      <source>Serial scanner: connecting…</source>
      <translation>Serieller Scanner: verbindet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/inputs.py" line="54" />
      <source>Scanner: ready</source>
      <translation>Scanner: bereit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/inputs.py" line="83" />
      <source>Demo camera: ready</source>
      <translation>Demo-Kamera: bereit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/scan_area.py" line="63" />
      <location filename="pos_app/ui/status_bar.py" line="48" />
      <source>Scanner: starting…</source>
      <translation>Scanner: startet…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/scan_area.py" line="91" />
      <source>Ready for scanner — scan a card or type its code</source>
      <translation>Bereit für Scanner — Karte scannen oder Code eingeben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/scan_area.py" line="163" />
      <source>Hold a card to the camera</source>
      <translation>Karte vor die Kamera halten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/scan_area.py" line="174" />
      <source>Hold the “{card}” card up to the camera</source>
      <translation>Karte „{card}“ vor die Kamera halten</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/serial_bridge.py" line="54" />
      <source>Serial scanner: ready</source>
      <translation>Serieller Scanner: bereit</translation>
    </message>
    <message>
      <location filename="pos_app/ui/scan/serial_bridge.py" line="56" />
      <source>Serial scanner: not connected — check its cable</source>
      <translation>Serieller Scanner: nicht verbunden — Kabel prüfen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="29" />
      <source>just now</source>
      <translation>gerade eben</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="34" />
      <source>{n} days ago</source>
      <translation>vor {n} Tag(en)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="44" />
      <source>Server: checking…</source>
      <translation>Server: wird geprüft…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="47" />
      <source>Printer: checking…</source>
      <translation>Drucker: wird geprüft…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="31" />
      <source>{n} min ago</source>
      <translation>vor {n} min</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="33" />
      <source>{n} h ago</source>
      <translation>vor {n} h</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="66" />
      <source>Printer: set up, nothing printed yet</source>
      <translation>Drucker: eingerichtet, noch nichts gedruckt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="91" />
      <source>Standalone till</source>
      <translation>Eigenständige Kasse</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="91" />
      <source>Server: online</source>
      <translation>Server: online</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="92" />
      <source>Server: OFFLINE — selling within limits</source>
      <translation>Server: OFFLINE — Verkauf innerhalb der Limits</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="93" />
      <source>Server: this till was removed</source>
      <translation>Server: Diese Kasse wurde entfernt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="94" />
      <source>Server: online, but this till CANNOT SYNC — call support</source>
      <translation>Server: online, aber diese Kasse KANN NICHT SYNCHRONISIEREN – Support anrufen</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="98" />
      <source>Server: online, last sync refused</source>
      <translation>Server: online, letzte Synchronisierung abgelehnt</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="112" />
      <source>Last sync: {when}</source>
      <translation>Letzte Synchronisierung: {when}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="109" />
      <source>Unsynced: {n}</source>
      <translation>Nicht synchronisiert: {n}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/status_bar.py" line="110" />
      <source> ({n} need review)</source>
      <translation> ({n} zu prüfen)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="68" />
      <source>Delete the last digit (Backspace)</source>
      <translation>Letzte Ziffer löschen (Rücktaste)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="73" />
      <source>OK (Enter)</source>
      <translation>OK (Enter)</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="133" />
      <source>Enter your PIN first.</source>
      <translation>Zuerst PIN eingeben.</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="149" />
      <source>Checking the PIN…</source>
      <translation>PIN wird geprüft…</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="185" />
      <source>PIN: {count} digits entered</source>
      <translation>Eingegebene PIN-Ziffern: {count}</translation>
    </message>
    <message>
      <location filename="pos_app/ui/widgets/pin_pad.py" line="138" />
      <source>A PIN has {low} to {high} digits. Try again.</source>
      <translation>Eine PIN hat {low} bis {high} Ziffern. Bitte erneut versuchen.</translation>
    </message>
  </context>
</TS>
