"""The demo office (`salesoffice demo`): a believable sales office to try the program on, or to time it with."""
