"""A vending-machine state machine driven by events, with guards and a log."""
import sys

IDLE, SELECTING, PAYING, VENDING, SERVICE = "idle", "selecting", "paying", "vending", "service"

PRICES = {
    "A1": 120,
    "A2": 95,
    "B1": 250,
}


class InvalidTransition(Exception):
    pass


class VendingMachine:
    def __init__(self, stock):
        self.state = IDLE
        self.stock = dict(stock)
        self.credit = 0
        self.selection = None
        self.log = []
        self.errors = 0

    def _enter(self, state):
        self.log.append((self.state, state))
        self.state = state

    def handle(self, event, payload=None):
        state = self.state
        if state == SERVICE and event != "close":
            raise InvalidTransition(f"{event} while in service")
        elif event == "open": self._enter(SERVICE)
        elif state == IDLE and event == "select":
            if payload not in PRICES:
                raise InvalidTransition(f"unknown product {payload}")
            if self.stock.get(payload, 0) <= 0: raise InvalidTransition(f"{payload} sold out")
            self.selection = payload
            self._enter(SELECTING)
        elif (
            state in (SELECTING, PAYING)
            and event == "coin"
            and isinstance(payload, int)
            and payload in (5, 10, 20, 50, 100)
        ):
            self.credit += payload
            if self.credit >= PRICES[self.selection]:
                self._enter(VENDING)
                return self._vend()
            self._enter(PAYING)
        elif state in (SELECTING, PAYING) and \
                event == "cancel":
            refund, self.credit = self.credit, 0
            self.selection = None
            self._enter(IDLE)
            return ("refund", refund)
        elif state == SERVICE and event == "close":
            self._enter(IDLE)
        else:
            raise InvalidTransition(f"{event}({payload!r}) in state {state}")
        return None

    def _vend(self):
        product = self.selection
        change = self.credit - PRICES[product]
        self.stock[product] -= 1
        self.credit, self.selection = 0, None
        self._enter(IDLE)
        return ("vend", product, change)


SCRIPT = [
    ("select", "A1"), ("coin", 100), ("coin", 50),
    ("select", "B1"), ("coin", 20), ("cancel", None),
    ("select", "Z9"),
    ("coin", 3),
    ("select", "A2"), ("coin", 3), ("coin", 100),
    ("open", None), ("select", "A1"), ("close", None),
    ("select", "A2"),
    ("select", "A2"), ("coin", 100),
]


def run(machine, script):
    outputs = []
    for event, payload in script:
        try:
            out = machine.handle(event, payload)
        except InvalidTransition as exc:
            machine.errors += 1
            outputs.append(("error", str(exc), exc.__traceback__.tb_next.tb_lineno))
            continue
        if out is not None: outputs.append(out)
    return outputs


def main():
    machine = VendingMachine({"A1": 2, "A2": 1, "B1": 5})
    outputs = run(machine, SCRIPT)
    return {
        "outputs": outputs,
        "final": (machine.state, machine.credit, machine.stock, machine.errors),
        "transitions": len(machine.log),
        "first": machine.log[:4],
        "line": sys._getframe().f_lineno,
    }


if __name__ == "__main__":
    print(main())
