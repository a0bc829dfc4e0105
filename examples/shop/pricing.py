DISCOUNT_OVER = 20


def price_order(order):
    subtotal = sum(price * quantity for _name, price, quantity in order["items"])
    discount = 0.1 if subtotal > DISCOUNT_OVER else 0
    total = round(subtotal * (1 - discount), 2)
    return total
