"""Layer 0: the words and number formats people read, in Swedish and English."""
