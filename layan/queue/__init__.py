"""The counter queue: lanes and counters, tickets from kiosk, web and chat, appointments within the
waiting room's capacity, the calls a counter makes and the board that shows and speaks them."""
