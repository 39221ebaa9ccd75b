"""Two levels side by side, and the stretch frame after them."""
