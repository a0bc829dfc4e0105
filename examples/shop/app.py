"""A tiny shop: the program the demo probes. Nothing in it knows about splice."""

import json
import time

from pricing import price_order

ORDERS = json.loads("""[
    {"id": 1, "items": [["apple", 0.5, 4], ["bread", 2.2, 1]]},
    {"id": 2, "items": [["cheese", 7.9, 3]]},
    {"id": 3, "items": [["coffee", 11.0, 2], ["milk", 1.1, 2]]},
    {"id": 4, "items": [["tea", 3.5, 1]]}
]""")


def handle(order):
    amount = price_order(order)
    time.sleep(0.05)
    return amount


def main(rounds):
    total = 0
    for _ in range(rounds):
        for order in ORDERS:
            total += handle(order)
    print(f"processed {rounds * len(ORDERS)} orders, total {total:.2f}")


if __name__ == "__main__":
    main(rounds=6)
