"""Plan: generating, previewing, saving, printing and e-mailing a patient's PDF plan, and its versions."""
